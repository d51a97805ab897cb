package io.apfmalloc.netty;

import io.apfmalloc.core.ApfAllocator;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A heap buffer over one block of the heap core's pooled {@code byte[]} superblocks ({@code MemoryKind.HEAP}): a
 * slice {@code [arrayOffset, arrayOffset + capacity)} of an array that other buffers share. Buffers larger than the
 * heap core serves (its {@code maxAllocationSize()}, 4 MiB) get an array of their own, as Netty's pooled allocator
 * does for huge buffers. See {@link ApfByteBuf} for capacity and release.
 */
final class ApfHeapByteBuf extends ApfByteBuf {
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_LE =
        MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The block's handle in the heap core, or 0 when {@link #array} is a huge buffer's own. */
    private long address;
    private byte[] array;
    private int offset;

    ApfHeapByteBuf(ApfByteBufAllocator allocator, BlockSource source, int maxCapacity) {
        super(allocator, source, maxCapacity);
    }

    @Override
    void allocateBlock(BlockSource.EventLoop loop, int size) {
        if (source.pools(size)) {
            useBlock(source.allocate(loop, size), size);
        } else {
            useOwnArray(size);
        }
    }

    private void useBlock(long block, int size) {
        ApfAllocator core = source.core();
        address = block;
        array = core.array(block);
        offset = core.arrayOffset(block);
        blockRequest = size;
    }

    /** Makes the array first: if the Java heap cannot, nothing has changed and the buffer keeps its block. */
    private void useOwnArray(int size) {
        byte[] own = new byte[size];
        address = 0;
        array = own;
        offset = 0;
        blockRequest = size;
        source.onUnpooledAllocated(size);
        BufferEvents.onAllocateOwnArray(size);
    }

    /** A huge buffer's own array holds exactly the size it was made for (as does no block, after release). */
    @Override
    int blockSize() {
        return address == 0 ? blockRequest : super.blockSize();
    }

    @Override
    void moveToNewBlock(BlockSource.EventLoop loop, int newCapacity, int preserved) {
        long oldAddress = address;
        byte[] oldArray = array;
        int oldOffset = offset;
        int oldRequest = blockRequest;
        allocateBlock(loop, newCapacity);
        System.arraycopy(oldArray, oldOffset, array, offset, preserved);
        free(loop, oldAddress, oldArray, oldRequest);
    }

    @Override
    void freeBlock(BlockSource.EventLoop loop) {
        free(loop, address, array, blockRequest);
        address = 0;
        array = null;
    }

    private void free(BlockSource.EventLoop loop, long block, byte[] blockArray, int request) {
        if (block == 0) {
            source.onUnpooledFreed(blockArray.length);
            BufferEvents.onFreeOwnArray(blockArray.length);
        } else {
            source.free(loop, block, request);
        }
    }

    @Override
    long blockAddress() {
        return 0;
    }

    @Override
    long viewKey() {
        return address;
    }

    @Override
    boolean pooledBlock() {
        return address != 0;
    }

    @Override
    ByteBuffer newView(int index, int length) {
        return ByteBuffer.wrap(array, offset + index, length).slice();
    }

    @Override
    ByteBuf newBufferForCopy(int length) {
        return alloc().heapBuffer(length, maxCapacity());
    }

    @Override
    public boolean isDirect() {
        return false;
    }

    @Override
    public boolean hasArray() {
        return true;
    }

    @Override
    public byte[] array() {
        ensureAccessible();
        return array;
    }

    @Override
    public int arrayOffset() {
        return offset;
    }

    @Override
    public boolean hasMemoryAddress() {
        return false;
    }

    @Override
    public long memoryAddress() {
        throw new UnsupportedOperationException("heap buffer");
    }

    // Primitive accessors: AbstractByteBuf has checked the index and the reference count before each call.

    @Override
    protected byte _getByte(int index) {
        return array[offset + index];
    }

    @Override
    protected short _getShort(int index) {
        return (short) SHORT_BE.get(array, offset + index);
    }

    @Override
    protected short _getShortLE(int index) {
        return (short) SHORT_LE.get(array, offset + index);
    }

    @Override
    protected int _getInt(int index) {
        return (int) INT_BE.get(array, offset + index);
    }

    @Override
    protected int _getIntLE(int index) {
        return (int) INT_LE.get(array, offset + index);
    }

    @Override
    protected long _getLong(int index) {
        return (long) LONG_BE.get(array, offset + index);
    }

    @Override
    protected long _getLongLE(int index) {
        return (long) LONG_LE.get(array, offset + index);
    }

    @Override
    protected void _setByte(int index, int value) {
        array[offset + index] = (byte) value;
    }

    @Override
    protected void _setShort(int index, int value) {
        SHORT_BE.set(array, offset + index, (short) value);
    }

    @Override
    protected void _setShortLE(int index, int value) {
        SHORT_LE.set(array, offset + index, (short) value);
    }

    @Override
    protected void _setInt(int index, int value) {
        INT_BE.set(array, offset + index, value);
    }

    @Override
    protected void _setIntLE(int index, int value) {
        INT_LE.set(array, offset + index, value);
    }

    @Override
    protected void _setLong(int index, long value) {
        LONG_BE.set(array, offset + index, value);
    }

    @Override
    protected void _setLongLE(int index, long value) {
        LONG_LE.set(array, offset + index, value);
    }

    // Bulk copies: System.arraycopy between arrays, MemorySegment.copy to and from native memory.

    @Override
    public ByteBuf getBytes(int index, ByteBuf dst, int dstIndex, int length) {
        checkDstIndex(index, length, dstIndex, dst.capacity());
        if (dst.hasMemoryAddress()) {
            MemorySegment.copy(MemorySegment.ofArray(array), offset + index, NativeMemory.ALL,
                dst.memoryAddress() + dstIndex, length);
        } else if (dst.hasArray()) {
            System.arraycopy(array, offset + index, dst.array(), dst.arrayOffset() + dstIndex, length);
        } else {
            dst.setBytes(dstIndex, array, offset + index, length);
        }
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, byte[] dst, int dstIndex, int length) {
        checkDstIndex(index, length, dstIndex, dst.length);
        System.arraycopy(array, offset + index, dst, dstIndex, length);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, ByteBuffer dst) {
        int length = dst.remaining();
        checkIndex(index, length);
        dst.put(array, offset + index, length);
        return this;
    }

    @Override
    public ByteBuf getBytes(int index, OutputStream out, int length) throws IOException {
        checkIndex(index, length);
        out.write(array, offset + index, length);
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuf src, int srcIndex, int length) {
        checkSrcIndex(index, length, srcIndex, src.capacity());
        if (src.hasMemoryAddress()) {
            MemorySegment.copy(NativeMemory.ALL, src.memoryAddress() + srcIndex, MemorySegment.ofArray(array),
                offset + index, length);
        } else if (src.hasArray()) {
            System.arraycopy(src.array(), src.arrayOffset() + srcIndex, array, offset + index, length);
        } else {
            src.getBytes(srcIndex, array, offset + index, length);
        }
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, byte[] src, int srcIndex, int length) {
        checkSrcIndex(index, length, srcIndex, src.length);
        System.arraycopy(src, srcIndex, array, offset + index, length);
        return this;
    }

    @Override
    public ByteBuf setBytes(int index, ByteBuffer src) {
        int length = src.remaining();
        checkIndex(index, length);
        src.get(array, offset + index, length);
        return this;
    }

    /** One {@code read} into the block, as Netty's heap buffers: returns what it returned. */
    @Override
    public int setBytes(int index, InputStream in, int length) throws IOException {
        checkIndex(index, length);
        return in.read(array, offset + index, length);
    }
}
