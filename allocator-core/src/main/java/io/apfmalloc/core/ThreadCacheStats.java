package io.apfmalloc.core;

import java.util.List;

/**
 * One thread cache's bins, as {@link ApfAllocator#cacheStats()} saw them. Read without stopping the owner, so the
 * figures are a moment's estimate.
 *
 * @param owner the owning thread's name, or {@code shared-N} for a shared stripe
 * @param bins  the bins the cache has used, by size class
 */
public record ThreadCacheStats(String owner, List<BinStats> bins) {
    /** Returns the bytes sitting free in this cache. */
    public long cachedBytes() {
        return bins.stream().mapToLong(bin -> (long) bin.cachedBlocks() * bin.blockSize()).sum();
    }
}
