package io.apfmalloc.netty;

import io.netty.buffer.AbstractReferenceCountedByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;

/**
 * A direct buffer over one block of the core's off-heap memory, read and written in place through
 * {@code java.lang.foreign} (no wrapped Netty or NIO buffer underneath).
 *
 * <p>The buffer's capacity may be smaller than its block: growing within the block costs nothing
 * ({@link #maxFastWritableBytes()} says how far), growing past it moves the contents to a larger block inside this
 * same object. Every access is checked against the capacity and the reference count first (AbstractByteBuf's
 * {@code checkIndex}), so a released buffer throws {@code IllegalReferenceCountException} and never touches the
 * freed block.
 *
 * <p>Like every {@link ByteBuf}, one thread at a time; {@link #release()} may come from any thread, and the block
 * goes to that thread's cache.
 */
final class ApfDirectByteBuf extends AbstractReferenceCountedByteBuf {
    /**
     * All of memory as one segment: accessors address blocks absolutely, so a buffer needs no segment object of its
     * own and moving to another block allocates nothing. Bounds are AbstractByteBuf's checks against the capacity.
     */
    private static final MemorySegment MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
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
    private static final int UNKNOWN = -1;

    private final ApfByteBufAllocator allocator;
    private final BlockSource source;
    private long address;
    private int capacity;
    /** The block's usable size, looked up on first need ({@link #UNKNOWN} until then). */
    private int blockSize;
    /** A direct view of {@code [address, address + capacity)}, made on first need, dropped when either changes. */
    private ByteBuffer internalView;

    ApfDirectByteBuf(ApfByteBufAllocator allocator, BlockSource source, int initialCapacity, int maxCapacity) {
        super(maxCapacity);
        this.allocator = allocator;
        this.source = source;
        this.address = source.allocate(initialCapacity);
        this.capacity = initialCapacity;
        this.blockSize = UNKNOWN;
        source.live().onAllocated(initialCapacity);
    }

    @Override
    protected void deallocate() {
        internalView = null;
        source.live().onReleased(capacity);
        source.free(address);
    }

    @Override
    public int capacity() {
        return capacity;
    }

    private int blockSize() {
        int size = blockSize;
        if (size == UNKNOWN) {
            blockSize = size = source.usableSize(address);
        }
        return size;
    }

    @Override
    public int maxFastWritableBytes() {
        return Math.min(blockSize(), maxCapacity()) - writerIndex();
    }

    /**
     * Grows in place up to the block's usable size and shrinks in place down to half of it; otherwise moves the
     * contents to a block of the new size (copying {@code min(old, new)} bytes) and frees the old one.
     */
    @Override
    public ByteBuf capacity(int newCapacity) {
        if (newCapacity == capacity) {
            ensureAccessible();
            return this;
        }
        checkNewCapacity(newCapacity);
        int oldCapacity = capacity;
        int usable = blockSize();
        boolean inPlace = newCapacity > oldCapacity ? newCapacity <= usable : newCapacity > usable >>> 1;
        if (!inPlace) {
            long moved = source.allocate(newCapacity);
            MemorySegment.copy(MEMORY, address, MEMORY, moved, Math.min(oldCapacity, newCapacity));
            source.free(address);
            address = moved;
            blockSize = UNKNOWN;
        }
        capacity = newCapacity;
        internalView = null;
        source.live().onResized(oldCapacity, newCapacity);
        if (newCapacity < oldCapacity) {
            trimIndicesToCapacity(newCapacity);
        }
        return this;
    }

    @Override
    public ByteBufAllocator alloc() {
        return allocator;
    }

    @Override
    public ByteOrder order() {
        return ByteOrder.BIG_ENDIAN;
    }

    @Override
    public ByteBuf unwrap() {
        return null;
    }

    @Override
    public boolean isDirect() {
        return true;
    }

    @Override
    public boolean isContiguous() {
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
    protected int _getUnsignedMedium(int index) {
        return (_getByte(index) & 0xff) << 16 | _getShort(index + 1) & 0xffff;
    }

    @Override
    protected int _getUnsignedMediumLE(int index) {
        return _getByte(index) & 0xff | (_getShortLE(index + 1) & 0xffff) << 8;
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
    protected void _setMedium(int index, int value) {
        _setByte(index, value >>> 16);
        _setShort(index + 1, value);
    }

    @Override
    protected void _setMediumLE(int index, int value) {
        _setByte(index, value);
        _setShortLE(index + 1, value >>> 8);
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
    public int getBytes(int index, GatheringByteChannel out, int length) throws IOException {
        return out.write(duplicateView(index, length));
    }

    @Override
    public int getBytes(int index, FileChannel out, long position, int length) throws IOException {
        return out.write(duplicateView(index, length), position);
    }

    @Override
    public int readBytes(GatheringByteChannel out, int length) throws IOException {
        checkReadableBytes(length);
        int written = out.write(view(readerIndex(), length));
        skipBytes(written);
        return written;
    }

    @Override
    public int readBytes(FileChannel out, long position, int length) throws IOException {
        checkReadableBytes(length);
        int written = out.write(view(readerIndex(), length), position);
        skipBytes(written);
        return written;
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

    @Override
    public int setBytes(int index, ScatteringByteChannel in, int length) throws IOException {
        try {
            return in.read(internalNioBuffer(index, length));
        } catch (ClosedChannelException ignored) {
            return -1;
        }
    }

    @Override
    public int setBytes(int index, FileChannel in, long position, int length) throws IOException {
        try {
            return in.read(internalNioBuffer(index, length), position);
        } catch (ClosedChannelException ignored) {
            return -1;
        }
    }

    @Override
    public ByteBuf copy(int index, int length) {
        checkIndex(index, length);
        ByteBuf copy = alloc().directBuffer(length, maxCapacity());
        return copy.writeBytes(this, index, length);
    }

    @Override
    public int nioBufferCount() {
        return 1;
    }

    @Override
    public ByteBuffer nioBuffer(int index, int length) {
        checkIndex(index, length);
        return MEMORY.asSlice(address + index, length).asByteBuffer();
    }

    @Override
    public ByteBuffer[] nioBuffers(int index, int length) {
        return new ByteBuffer[] {nioBuffer(index, length)};
    }

    /** Returns the cached view of the block with its position at {@code index} and its limit {@code length} on. */
    @Override
    public ByteBuffer internalNioBuffer(int index, int length) {
        checkIndex(index, length);
        return view(index, length);
    }

    private ByteBuffer view(int index, int length) {
        ByteBuffer view = internalView;
        if (view == null) {
            internalView = view = MEMORY.asSlice(address, capacity).asByteBuffer();
        }
        view.limit(index + length).position(index);
        return view;
    }

    /** A fresh view of {@code [index, index + length)} for callers that must not disturb the cached one. */
    private ByteBuffer duplicateView(int index, int length) {
        checkIndex(index, length);
        return MEMORY.asSlice(address, capacity).asByteBuffer().limit(index + length).position(index);
    }
}
