package io.apfmalloc.netty;

import java.lang.foreign.MemorySegment;

/** The global view of native memory that buffers read and write through. */
final class NativeMemory {
    /**
     * All of memory as one segment: buffers address blocks absolutely, so a buffer needs no segment object of its
     * own and moving to another block allocates nothing. Bounds are AbstractByteBuf's checks against the capacity.
     */
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private NativeMemory() {
    }
}
