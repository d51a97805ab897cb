package io.apfmalloc.core.internal.os;

/**
 * Where superblocks and large allocations get their memory. A seam: production maps memory from the OS
 * ({@link OsMemory}) or pools {@code byte[]}s ({@link ArrayMemorySource}); tests inject failures.
 *
 * <p>Thread-safe: any thread may map, and may unmap what another thread mapped; a thread that learnt of a mapping
 * through a happens-before edge (as the heap publishes superblocks) sees what was written into it. Mappings never
 * overlap, and every mapping reads zero, also where an earlier one was unmapped.
 */
public interface MemorySource {
    /**
     * Maps {@code size} bytes of zeroed, readable and writable memory aligned to {@code alignment}.
     *
     * @param size      a positive multiple of the page size
     * @param alignment a power of two, at least the page size
     * @return the address, or 0, changing nothing, when the memory cannot be had
     */
    long map(long size, long alignment);

    /** Gives back a whole range that {@link #map} returned. */
    void unmap(long address, long size);
}
