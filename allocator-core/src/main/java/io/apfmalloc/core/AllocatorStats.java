package io.apfmalloc.core;

/**
 * A snapshot of an allocator's memory figures. Read without stopping other threads, so figures taken together may
 * be a moment apart.
 *
 * @param mappedBytes     bytes mapped from the OS now (superblocks and large allocations): what the process holds
 * @param memoryLimit     the configured limit on {@code mappedBytes}
 * @param liveSuperblocks superblocks mapped now
 * @param retainedBytes   bytes of wholly free superblocks kept mapped for reuse
 * @param largeBytes      bytes mapped for large allocations now
 * @param ownThreadCaches platform threads with a cache of their own
 * @param cachedBytes     bytes sitting free in thread caches and shared stripes (an estimate)
 */
public record AllocatorStats(long mappedBytes, long memoryLimit, long liveSuperblocks, long retainedBytes,
                             long largeBytes,
                             int ownThreadCaches, long cachedBytes) {
}
