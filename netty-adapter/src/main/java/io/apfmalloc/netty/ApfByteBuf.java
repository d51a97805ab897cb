package io.apfmalloc.netty;

import io.netty.buffer.AbstractReferenceCountedByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;

/**
 * A buffer over one block of a core allocator: what direct and heap buffers share. The capacity may be smaller than
 * the block: growing within the block costs nothing ({@link #maxFastWritableBytes()} says how far), growing past it
 * moves the contents to a larger block inside this same object. Every access is checked against the capacity and
 * the reference count first (AbstractByteBuf's {@code checkIndex}), so a released buffer throws
 * {@code IllegalReferenceCountException} and never touches the freed block.
 *
 * <p>Like every {@link ByteBuf}, one thread at a time; {@link #release()} may come from any thread, and the block
 * goes to that thread's cache.
 *
 * <p>This object is a shell an event loop may reuse: released on an event loop, it waits in that loop's bounded
 * stack of shells ({@link BlockSource#SHELLS_PER_EVENT_LOOP}) for the loop's next allocation, as Netty's pooled
 * buffers wait in its {@code Recycler}. Until then its reference count is 0 and every access throws; a reference kept
 * past release sees the next buffer once the shell is reused, as with Netty's pooled buffers.
 */
abstract class ApfByteBuf extends AbstractReferenceCountedByteBuf {
    private final ApfByteBufAllocator allocator;
    final BlockSource source;
    private int capacity;
    /**
     * The size the current block was allocated for, set by subclasses when they take one; its usable size is
     * computed when needed ({@link #blockSize()}), off the allocation path.
     */
    int blockRequest;
    /**
     * The event loop that allocated this buffer, or null: a release or resize on that same loop uses its cache
     * without looking the loop up ({@link BlockSource#eventLoopOf}). Cleared on release.
     */
    BlockSource.EventLoop loop;
    /**
     * A view of the whole current block, made on first need and kept while the buffer keeps that block: through
     * capacity changes within it, and through this shell's reuse when the next buffer gets the same block back (an
     * event loop's bins hand out the block released last, so a read loop reuses one view). Dropped when the buffer
     * moves to another block, and when a block of its own (a huge heap buffer's array) is released.
     */
    private ByteBuffer internalView;
    /** The {@link #viewKey()} of the block {@link #internalView} was made for. */
    private long internalViewKey;

    /** Makes an empty shell; {@link BlockSource#newBuffer} gives it a block. */
    ApfByteBuf(ApfByteBufAllocator allocator, BlockSource source, int maxCapacity) {
        super(maxCapacity);
        this.allocator = allocator;
        this.source = source;
    }

    /**
     * Readies a recycled shell for a new buffer: reference count 1, the new maximum capacity, indices and marks at
     * 0. Its block comes next, from {@link #takeBlock}.
     */
    final void reuse(int maxCapacity) {
        resetRefCnt();
        maxCapacity(maxCapacity);
        capacity = 0;
        clear();
        markReaderIndex();
        markWriterIndex();
    }

    /** Sets the capacity of a new buffer and takes its block through {@code loop}'s cache (or the stripes). */
    final void takeBlock(BlockSource.EventLoop loop, int initialCapacity) {
        allocateBlock(loop, initialCapacity);
        capacity = initialCapacity;
        this.loop = loop;
    }

    /** Allocates a first block of at least {@code size} bytes and sets {@link #blockRequest}. */
    abstract void allocateBlock(BlockSource.EventLoop loop, int size);

    /**
     * Moves to a new block of at least {@code newCapacity} bytes through {@code loop}'s cache (or the stripes),
     * keeping the first {@code preserved} bytes, and sets {@link #blockRequest}.
     */
    abstract void moveToNewBlock(BlockSource.EventLoop loop, int newCapacity, int preserved);

    /** Frees the current block through {@code loop}'s cache (or the stripes), dropping every reference to it. */
    abstract void freeBlock(BlockSource.EventLoop loop);

    /** Returns the block's native address, 0 for heap buffers; unchecked, for events. */
    abstract long blockAddress();

    /** Returns what tells the current block from others while it is held: its address, or the heap core's handle. */
    abstract long viewKey();

    /** Returns whether the block is the core's, rather than an array of this buffer's own. */
    abstract boolean pooledBlock();

    /** Returns a new NIO view of {@code [index, index + length)}, its position 0. */
    abstract ByteBuffer newView(int index, int length);

    /** Returns a new buffer of this kind for {@link #copy(int, int)}. */
    abstract ByteBuf newBufferForCopy(int length);

    @Override
    protected final void deallocate() {
        if (!pooledBlock()) {
            internalView = null;
        }
        source.releaseBuffer(this, capacity);
    }

    /** Returns the usable size of the current block: its size class's block size, or a large allocation's. */
    int blockSize() {
        return BlockSource.blockSizeFor(blockRequest);
    }

    @Override
    public final int capacity() {
        return capacity;
    }

    @Override
    public final int maxFastWritableBytes() {
        return Math.min(blockSize(), maxCapacity()) - writerIndex();
    }

    /**
     * Grows in place up to the block's usable size and shrinks in place down to half of it; otherwise moves the
     * contents to a block of the new size (copying {@code min(old, new)} bytes) and frees the old one.
     */
    @Override
    public final ByteBuf capacity(int newCapacity) {
        if (newCapacity == capacity) {
            ensureAccessible();
            return this;
        }
        checkNewCapacity(newCapacity);
        int oldCapacity = capacity;
        int usable = blockSize();
        boolean inPlace = newCapacity > oldCapacity ? newCapacity <= usable : newCapacity > usable >>> 1;
        BlockSource.EventLoop loop = source.eventLoopOf(this);
        if (!inPlace) {
            BufferEvents.onReallocate(this, newCapacity);
            moveToNewBlock(loop, newCapacity, Math.min(oldCapacity, newCapacity));
        }
        capacity = newCapacity;
        if (!inPlace) {
            internalView = null;
        }
        source.countResize(loop, oldCapacity, newCapacity);
        if (!inPlace) {
            BufferEvents.onAllocate(this, loop != null);
        }
        if (newCapacity < oldCapacity) {
            trimIndicesToCapacity(newCapacity);
        }
        return this;
    }

    @Override
    public final ByteBufAllocator alloc() {
        return allocator;
    }

    @Override
    public final ByteOrder order() {
        return ByteOrder.BIG_ENDIAN;
    }

    @Override
    public final ByteBuf unwrap() {
        return null;
    }

    @Override
    public final boolean isContiguous() {
        return true;
    }

    @Override
    public final ByteBuf copy(int index, int length) {
        checkIndex(index, length);
        return newBufferForCopy(length).writeBytes(this, index, length);
    }

    @Override
    public final int nioBufferCount() {
        return 1;
    }

    @Override
    public final ByteBuffer nioBuffer(int index, int length) {
        checkIndex(index, length);
        return newView(index, length);
    }

    @Override
    public final ByteBuffer[] nioBuffers(int index, int length) {
        return new ByteBuffer[] {nioBuffer(index, length)};
    }

    /** Returns the cached view of the block with its position at {@code index} and its limit {@code length} on. */
    @Override
    public final ByteBuffer internalNioBuffer(int index, int length) {
        checkIndex(index, length);
        return view(index, length);
    }

    private ByteBuffer view(int index, int length) {
        ByteBuffer view = internalView;
        long key = viewKey();
        if (view == null || internalViewKey != key) {
            internalView = view = newView(0, blockSize());
            internalViewKey = key;
        }
        view.limit(index + length).position(index);
        return view;
    }

    /** A fresh view of {@code [index, index + length)} for callers that must not disturb the cached one. */
    private ByteBuffer duplicateView(int index, int length) {
        checkIndex(index, length);
        return newView(0, capacity).limit(index + length).position(index);
    }

    @Override
    public final int getBytes(int index, GatheringByteChannel out, int length) throws IOException {
        return out.write(duplicateView(index, length));
    }

    @Override
    public final int getBytes(int index, FileChannel out, long position, int length) throws IOException {
        return out.write(duplicateView(index, length), position);
    }

    @Override
    public final int readBytes(GatheringByteChannel out, int length) throws IOException {
        checkReadableBytes(length);
        int written = out.write(view(readerIndex(), length));
        skipBytes(written);
        return written;
    }

    @Override
    public final int readBytes(FileChannel out, long position, int length) throws IOException {
        checkReadableBytes(length);
        int written = out.write(view(readerIndex(), length), position);
        skipBytes(written);
        return written;
    }

    @Override
    public final int setBytes(int index, ScatteringByteChannel in, int length) throws IOException {
        try {
            return in.read(internalNioBuffer(index, length));
        } catch (ClosedChannelException ignored) {
            return -1;
        }
    }

    @Override
    public final int setBytes(int index, FileChannel in, long position, int length) throws IOException {
        try {
            return in.read(internalNioBuffer(index, length), position);
        } catch (ClosedChannelException ignored) {
            return -1;
        }
    }

    // Three-byte values: a byte and a short of the subclass's own accessors, the same for either kind of memory.

    @Override
    protected int _getUnsignedMedium(int index) {
        return (_getByte(index) & 0xff) << 16 | _getShort(index + 1) & 0xffff;
    }

    @Override
    protected int _getUnsignedMediumLE(int index) {
        return _getByte(index) & 0xff | (_getShortLE(index + 1) & 0xffff) << 8;
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
}
