package io.apfmalloc.core.testing;

import io.apfmalloc.core.ApfAllocator;
import java.lang.foreign.MemorySegment;

/**
 * The raw API of {@link ApfAllocator} as an interface, so that a test can run the same checks against the allocator
 * and against a wrapper (one with a planted bug, to show that the checks catch it). Each method is the allocator's
 * method of the same name, with the same contract.
 */
public interface RawApi {
    /** See {@link ApfAllocator#malloc}. */
    long malloc(long size);

    /** See {@link ApfAllocator#alignedAlloc}. */
    long alignedAlloc(long alignment, long size);

    /** See {@link ApfAllocator#realloc}. */
    long realloc(long address, long size);

    /** See {@link ApfAllocator#free}. */
    void free(long address);

    /** See {@link ApfAllocator#usableSize}. */
    long usableSize(long address);

    /** See {@link ApfAllocator#segment}: how a test reaches the bytes, on and off the Java heap alike. */
    MemorySegment segment(long address, long size);

    /** Returns {@code allocator}'s raw API, unchanged. */
    static RawApi of(ApfAllocator allocator) {
        return new Direct(allocator);
    }

    /** The allocator's own methods; a test subclasses it to change one of them (a planted bug). */
    class Direct implements RawApi {
        private final ApfAllocator allocator;

        /** Calls {@code allocator}. */
        public Direct(ApfAllocator allocator) {
            this.allocator = allocator;
        }

        @Override
        public long malloc(long size) {
            return allocator.malloc(size);
        }

        @Override
        public long alignedAlloc(long alignment, long size) {
            return allocator.alignedAlloc(alignment, size);
        }

        @Override
        public long realloc(long address, long size) {
            return allocator.realloc(address, size);
        }

        @Override
        public void free(long address) {
            allocator.free(address);
        }

        @Override
        public long usableSize(long address) {
            return allocator.usableSize(address);
        }

        @Override
        public MemorySegment segment(long address, long size) {
            return allocator.segment(address, size);
        }
    }
}
