package io.apfmalloc.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * A {@link SegmentAllocator} whose segments are blocks of an {@link ApfAllocator}, for FFM code: pass it where a
 * downcall or {@code allocateFrom} wants an allocator. Segments live until {@link #free} is called on them (they are
 * not tied to an arena); {@link AutoPtr} is the owning alternative.
 *
 * <p>Unlike the raw API, a refused allocation throws {@link OutOfMemoryError}, as the JDK's arenas do.
 */
public final class ApfSegmentAllocator implements SegmentAllocator {
    private final ApfAllocator allocator;

    private ApfSegmentAllocator(ApfAllocator allocator) {
        this.allocator = allocator;
    }

    /**
     * Returns a segment allocator over {@code allocator}.
     *
     * @throws IllegalArgumentException if {@code allocator} is not {@link MemoryKind#OFF_HEAP}
     */
    public static ApfSegmentAllocator of(ApfAllocator allocator) {
        if (allocator.memoryKind() != MemoryKind.OFF_HEAP) {
            throw new IllegalArgumentException("allocator: " + allocator.memoryKind() + " (expected: OFF_HEAP)");
        }
        return new ApfSegmentAllocator(allocator);
    }

    /**
     * {@inheritDoc}
     *
     * @throws OutOfMemoryError if the memory limit or the OS refuses
     */
    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        long address = allocator.alignedAlloc(byteAlignment, byteSize);
        if (address == 0) {
            throw allocator.outOfMemory(byteSize);
        }
        return MemorySegment.ofAddress(address).reinterpret(byteSize);
    }

    /** Frees a segment this allocator returned. */
    public void free(MemorySegment segment) {
        allocator.free(segment.address());
    }
}
