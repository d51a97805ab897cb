package io.apfmalloc.netty;

import io.apfmalloc.core.AllocatorStats;
import io.apfmalloc.core.BinStats;
import io.apfmalloc.core.ThreadCacheStats;
import java.util.List;
import java.util.Locale;

/**
 * The text of {@link ApfByteBufAllocator#dumpStats()}: per core, a line of memory figures, the bins summed per size
 * class, and every cache with its bins, as {@code key=value} pairs.
 *
 * <pre>
 * direct: usedMemory=131072 limit=134217728 liveBytes=1000 liveBuffers=1 cachedBytes=130048 retainedBytes=0 ...
 *   size class      1024 B: allocations=2 fetches=1 APF=2.0 cachedBlocks=127 fetched=128 returned=0
 *   cache event-loop-1: cachedBytes=130048
 *          1024 B: cachedBlocks=127 returnThreshold=257 capacity=1024 allocations=2 fetches=1 APF=2.0 ...
 *   cache shared-0: cachedBytes=0
 * heap: usedMemory=0 limit=134217728 liveBytes=0 liveBuffers=0 cachedBytes=0 retainedBytes=0 ...
 * </pre>
 */
final class StatsDump {
    private StatsDump() {
    }

    /** Returns the dump of both cores of {@code metric}, read now; one line per figure group. */
    static String of(ApfByteBufAllocatorMetric metric) {
        StringBuilder dump = new StringBuilder();
        core(dump, "direct", metric.usedDirectMemory(), metric.liveDirectBytes(), metric.liveDirectBuffers(),
            metric.directStats(), metric.sizeClasses(), metric.threadCaches());
        core(dump, "heap", metric.usedHeapMemory(), metric.liveHeapBytes(), metric.liveHeapBuffers(),
            metric.heapStats(), metric.heapSizeClasses(), metric.heapThreadCaches());
        return dump.toString();
    }

    private static void core(StringBuilder dump, String kind, long used, long liveBytes, long liveBuffers,
                             AllocatorStats stats, List<ApfByteBufAllocatorMetric.SizeClass> classes,
                             List<ThreadCacheStats> caches) {
        dump.append(String.format(Locale.ROOT, "%s: usedMemory=%d limit=%d liveBytes=%d liveBuffers=%d"
                + " cachedBytes=%d retainedBytes=%d largeBytes=%d superblocks=%d caches=%d%n",
            kind, used, stats.memoryLimit(), liveBytes, liveBuffers, stats.cachedBytes(), stats.retainedBytes(),
            stats.largeBytes(), stats.liveSuperblocks(), caches.size()));
        for (ApfByteBufAllocatorMetric.SizeClass sizeClass : classes) {
            dump.append(String.format(Locale.ROOT,
                "  size class %9d B: allocations=%d fetches=%d APF=%.1f cachedBlocks=%d fetched=%d returned=%d%n",
                sizeClass.blockSize(), sizeClass.allocations(), sizeClass.fetches(),
                sizeClass.allocationsPerFetch(), sizeClass.cachedBlocks(), sizeClass.blocksFetched(),
                sizeClass.blocksReturned()));
        }
        for (ThreadCacheStats cache : caches) {
            dump.append(String.format(Locale.ROOT, "  cache %s: cachedBytes=%d%n", cache.owner(),
                cache.cachedBytes()));
            for (BinStats bin : cache.bins()) {
                dump.append(String.format(Locale.ROOT, "    %9d B: cachedBlocks=%d returnThreshold=%d capacity=%d"
                        + " allocations=%d fetches=%d APF=%.1f fetched=%d returned=%d%n",
                    bin.blockSize(), bin.cachedBlocks(), bin.returnThreshold(), bin.capacity(), bin.allocations(),
                    bin.fetches(), bin.allocationsPerFetch(), bin.blocksFetched(), bin.blocksReturned()));
            }
        }
    }
}
