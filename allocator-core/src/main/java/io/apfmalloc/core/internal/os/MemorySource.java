package io.apfmalloc.core.internal.os;

/**
 * Where superblocks and large allocations get their memory. A seam: production maps memory from the OS
 * ({@link OsMemory}); tests inject failures.
 */
public interface MemorySource {
    /**
     * Maps {@code size} bytes of zeroed, readable and writable memory aligned to {@code alignment}.
     *
     * @param size      a positive multiple of the page size
     * @param alignment a power of two, at least the page size
     * @return the address, or 0 when the memory cannot be had
     */
    long map(long size, long alignment);

    /** Gives back a whole range that {@link #map} returned. */
    void unmap(long address, long size);
}
