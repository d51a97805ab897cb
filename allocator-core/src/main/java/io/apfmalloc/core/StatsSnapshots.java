package io.apfmalloc.core;

import io.apfmalloc.core.internal.heap.Heap;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.tcache.Bin;
import io.apfmalloc.core.internal.tcache.ThreadCaches;
import java.util.ArrayList;
import java.util.List;

/** Assembles the public figures of {@link ApfAllocator#stats()} and {@link ApfAllocator#cacheStats()}. */
final class StatsSnapshots {
    private StatsSnapshots() {
    }

    /** Returns a snapshot of the heap's memory figures and the bytes the caches hold. */
    static AllocatorStats allocatorStats(Heap heap, ThreadCaches caches) {
        long[] cached = new long[1];
        caches.forEachCache(cache -> cached[0] += cache.cachedBytes());
        return new AllocatorStats(heap.limit().reserved(), heap.limit().limit(), heap.liveSuperblocks(),
            heap.retainedBytes(), heap.largeBytes(), caches.ownCacheCount(), cached[0]);
    }

    /** Returns every cache's bins, own caches first, then the shared stripes; read without stopping their owners. */
    static List<ThreadCacheStats> cacheStats(ThreadCaches caches) {
        List<ThreadCacheStats> all = new ArrayList<>();
        caches.forEachCache(cache -> {
            List<BinStats> bins = new ArrayList<>();
            for (int sizeClass = 0; sizeClass < SizeClasses.COUNT; sizeClass++) {
                Bin bin = cache.binOrNull(sizeClass);
                if (bin != null) {
                    bins.add(new BinStats(SizeClasses.blockSize(sizeClass), bin.count(), bin.returnThreshold(),
                        bin.capacity(), bin.allocations(), bin.fetches(), bin.blocksFetched(), bin.blocksReturned()));
                }
            }
            all.add(new ThreadCacheStats(cache.owner(), List.copyOf(bins)));
        });
        return all;
    }
}
