package io.apfmalloc.netty;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/** The global view of native memory that buffers read and write through, and their NIO views. */
final class NativeMemory {
    /**
     * All of memory as one segment: buffers address blocks absolutely, so a buffer needs no segment object of its
     * own and moving to another block allocates nothing. Bounds are AbstractByteBuf's checks against the capacity.
     */
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** Address space is cut into windows of 1 GiB; a view lies inside one window's direct buffer. */
    private static final int WINDOW_SHIFT = 30;
    /**
     * A window's buffer spans two windows, less a little: the most a segment may wrap as a buffer
     * ({@code Integer.MAX_VALUE - 8}). Views shorter than {@link #MAX_WINDOWED_VIEW} starting in the window fit.
     */
    private static final int WINDOW_BYTES = Integer.MAX_VALUE - 8;
    private static final int MAX_WINDOWED_VIEW = (1 << WINDOW_SHIFT) - 8;
    /** Windows remembered, direct-mapped by window index: a process's mappings span only a few. */
    private static final int CACHED_WINDOWS = 64;
    private static final VarHandle WINDOWS = MethodHandles.arrayElementVarHandle(Window[].class);
    private static final Window[] CACHE = new Window[CACHED_WINDOWS];

    private NativeMemory() {
    }

    /** A direct buffer of {@link #WINDOW_BYTES} starting at window {@code index}'s first address. */
    private record Window(long index, ByteBuffer memory) {
    }

    /**
     * Returns a direct buffer over {@code [address, address + length)}, position 0, big-endian: a slice of a cached
     * buffer over the surrounding window, so one object per view where a segment's {@code asByteBuffer} makes two
     * (the segment and the buffer). NIO reads and writes ask for a view per buffer; this halves their garbage.
     */
    static ByteBuffer byteBuffer(long address, int length) {
        long index = address >>> WINDOW_SHIFT;
        int offset = (int) (address & ((1L << WINDOW_SHIFT) - 1));
        if (length > MAX_WINDOWED_VIEW) {
            return ALL.asSlice(address, length).asByteBuffer();
        }
        int slot = (int) index & (CACHED_WINDOWS - 1);
        Window window = (Window) WINDOWS.getAcquire(CACHE, slot);
        if (window == null || window.index != index) {
            window = new Window(index, ALL.asSlice(index << WINDOW_SHIFT, WINDOW_BYTES).asByteBuffer());
            WINDOWS.setRelease(CACHE, slot, window);
        }
        return window.memory.slice(offset, length);
    }
}
