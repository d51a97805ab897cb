package io.apfmalloc.core;

/** Where an {@link ApfAllocator}'s memory lives. */
public enum MemoryKind {
    /** Native memory mapped from the OS; addresses are real and usable with FFM. The default. */
    OFF_HEAP,
    /**
     * Pooled {@code byte[]} superblocks on the Java heap; addresses are synthetic handles, read and written through
     * {@link ApfAllocator#array} and {@link ApfAllocator#arrayOffset} (or {@link ApfAllocator#segment}). Allocations
     * above 4 MiB are refused (0).
     */
    HEAP
}
