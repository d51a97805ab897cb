package io.apfmalloc.core;

/**
 * Decides, before each mapping the allocator asks of the OS (a new superblock, a large allocation), whether to refuse
 * it as if the OS had: a seam for fault-injection tests ({@link ApfAllocator.Builder#faultInjector}). A refused
 * mapping takes the allocator's real failure path: what it reserved under the memory limit is given back, the
 * caller's cache and the retained superblocks are flushed, the mapping is tried once more, and then the raw API
 * returns 0 and the throwing APIs throw {@link OutOfMemoryError}.
 *
 * <p>Called on the allocating thread, from any thread at once, outside every lock and CAS loop of the allocator; it
 * must not allocate from the allocator it serves.
 */
@FunctionalInterface
public interface MemoryFaultInjector {
    /**
     * Returns whether to refuse the mapping of {@code bytes} bytes.
     *
     * @param bytes the size of the mapping: a multiple of the page size
     */
    boolean refuseMapping(long bytes);
}
