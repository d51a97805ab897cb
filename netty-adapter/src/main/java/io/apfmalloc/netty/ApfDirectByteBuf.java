package io.apfmalloc.netty;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;

/**
 * A direct buffer over one block of the core's off-heap memory, read and written in place through
 * {@code java.lang.foreign} (no wrapped Netty or NIO buffer underneath). See {@link ApfByteBuf} for capacity and
 * release.
 */
final class ApfDirectByteBuf extends ApfByteBuf {
    private static final MemorySegment MEMORY = NativeMemory.ALL;
    private static final ValueLayout.OfShort SHORT_BE =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Stream copies go through a heap array of at most this many bytes (Netty's own chunk for stream I/O). */
    private static final int STREAM_CHUNK = 8192;

    private long address;

    ApfDirectByteBuf(ApfByteBufAllocator allocator, BlockSource source, int maxCapacity) {
        super(allocator, source, maxCapacity);
    }

    @Override
    void allocateBlock(BlockSource.EventLoop loop, int size) {
        address = source.allocate(loop, size);
        blockRequest = size;
    }

    @Override
    void moveToNewBlock(BlockSource.EventLoop loop, int newCapacity, int preserved) {
        long moved = source.allocate(loop, newCapacity);
        MemorySegment.copy(MEMORY, address, MEMORY, moved, preserved);
        source.free(loop, address, blockRequest);
        address = moved;
        blockRequest = newCapacity;
    }

    @Override
    void freeBlock(BlockSource.EventLoop loop) {
        source.free(loop, address, blockRequest);
        address = 0;
    }

    @Override
    long blockAddress() {
        return address;
    }

    @Override
    long viewKey() {
        return address;
    }

    @Override
    boolean pooledBlock() {
        return true;
    }

    @Override
    ByteBuffer newView(int index, int length) {
        return NativeMemory.byteBuffer(address + index, length);
    }

    @Override
    ByteBuf newBufferForCopy(int length) {
        return alloc().directBuffer(length, maxCapacity());
    }

    @Override
    public boolean isDirect() {
        return true;
    }

    @Override
    public boolean hasArray() {
        return false;
    }

    @Override
    public byte[] array() {
        throw new UnsupportedOperationException("direct buffer");
    }

    @Override
    public int arrayOffset() {
        throw new UnsupportedOperationException("direct buffer");
    }

    @Override
    public boolean hasMemoryAddress() {
        return true;
    }

    @Override
    public long memoryAddress() {
        ensureAccessible();
        return address;
    }

    // Primitive accessors: AbstractByteBuf has checked the index and the reference count before each call.

    @Override
    protected byte _getByte(int index) {
        return MEMORY.get(ValueLayout.JAVA_BYTE, address + index);
    }

    @Override
    protected short _getShort(int index) {
        return MEMORY.get(SHORT_BE, address + index);
    }

    @Override
    protected short _getShortLE(int index) {
        return MEMORY.get(SHORT_LE, address + index);
    }

    @Override
    protected int _getInt(int index) {
        return MEMORY.get(INT_BE, address + index);
    }

    @Override
    protected int _getIntLE(int index) {
        return MEMORY.get(INT_LE, address + index);
    }

    @Override
    protected long _getLong(int index) {
        return MEMORY.get(LONG_BE, address + index);
    }

    @Override
    protected long _getLongLE(int index) {
        return MEMORY.get(LONG_LE, address + index);
    }

    @Override
    protected void _setByte(int index, int value) {
        MEMORY.set(ValueLayout.JAVA_BYTE, address + index, (byte) value);
    }

    @Override
    protected void _setShort(int index, int value) {
        MEMORY.set(SHORT_BE, address + index, (short) value);
    }

    @Override
    protected void _setShortLE(int index, int value) {
        MEMORY.set(SHORT_LE, address + index, (short) value);
    }

    @Override
    protected void _setInt(int index, int value) {
        MEMORY.set(INT_BE, address + index, value);
    }

    @Override
    protected void _setIntLE(int index, int value) {
        MEMORY.set(INT_LE, address + index, value);
    }

    @Override
    protected void _setLong(int index, long value) {
        MEMORY.set(LONG_BE, address + index, value);
    }

    @Override
    protected void _setLongLE(int index, long value) {
        MEMORY.set(LONG_LE, address + index, value);
    }

    // Bulk copies: one MemorySegment.copy (memmove semantics, so overlapping ranges are safe).

    @Override
    public ByteBuf getBytes(int index, ByteBuf dst, int dstIndex, int length) {
        checkDstIndex(index, length, dstIndex, dst.capacity());
        if (dst.hasMemoryAddress()) {
            MemorySegment.copy(MEMORY, address + index, MEMORY, dst.memoryAddress() + dstIndex, length);
        } else if (dst.hasArray()) {
            copyToArray(index, dst.array(), dst.arrayOffset() + dstIndex, length);
        } else {
            dst.setBytes(dstIndex, this, index, length);
        }
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, byte[] dst, int dstIndex, int length) {
        checkDstIndex(index, length, dstIndex, dst.length);
        copyToArray(index, dst, dstIndex, length);
        return this;
    }

    private void copyToArray(int index, byte[] dst, int dstIndex, int length) {
        MemorySegment.copy(MEMORY, ValueLayout.JAVA_BYTE, address + index, dst, dstIndex, length);
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int length = dst.remaining();
        checkIndex(index, length);
        MemorySegment.copy(MEMORY, address + index, MemorySegment.ofBuffer(dst), 0, length);
        dst.position(dst.position() + length);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, OutputStream out, int length) throws IOException {
        checkIndex(index, length);
        if (length == 0) {
            return this;
        }
        byte[] chunk = new byte[Math.min(length, STREAM_CHUNK)];
        for (int done = 0; done < length; ) {
            int n = Math.min(chunk.length, length - done);
            copyToArray(index + done, chunk, 0, n);
            out.write(chunk, 0, n);
            done += n;
        }
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuf src, int srcIndex, int length) {
        checkSrcIndex(index, length, srcIndex, src.capacity());
        if (src.hasMemoryAddress()) {
            MemorySegment.copy(MEMORY, src.memoryAddress() + srcIndex, MEMORY, address + index, length);
        } else if (src.hasArray()) {
            copyFromArray(src.array(), src.arrayOffset() + srcIndex, index, length);
        } else {
            src.getBytes(srcIndex, this, index, length);
        }
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, byte[] src, int srcIndex, int length) {
        checkSrcIndex(index, length, srcIndex, src.length);
        copyFromArray(src, srcIndex, index, length);
        return this;
    }

    private void copyFromArray(byte[] src, int srcIndex, int index, int length) {
        MemorySegment.copy(src, srcIndex, MEMORY, ValueLayout.JAVA_BYTE, address + index, length);
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuffer src) {
        int length = src.remaining();
        checkIndex(index, length);
        MemorySegment.copy(MemorySegment.ofBuffer(src), 0, MEMORY, address + index, length);
        src.position(src.position() + length);
        return this;
    }

    /**
     * Reads until {@code length} bytes came or the stream has no more ready; -1 if it ended before the first (as
     * with one {@code read}, a request of 0 bytes still asks the stream, to learn whether it ended).
     */
    @Override
    public int setBytes(int index, InputStream in, int length) throws IOException {
        checkIndex(index, length);
        byte[] chunk = new byte[Math.min(length, STREAM_CHUNK)];
        int done = 0;
        do {
            int wanted = Math.min(chunk.length, length - done);
            int n = in.read(chunk, 0, wanted);
            if (n <= 0) {
                return done == 0 && n < 0 ? -1 : done;
            }
            copyFromArray(chunk, 0, index + done, n);
            done += n;
            if (n < wanted) {
                break;
            }
        } while (done < length);
        return done;
    }
}
