package io.apfmalloc.netty;

import io.apfmalloc.core.AllocatorStats;
import io.apfmalloc.core.BinStats;
import io.apfmalloc.core.ThreadCacheStats;
import io.netty.buffer.ByteBufAllocatorMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of an {@link ApfByteBufAllocator}: memory held from the OS, bytes in live buffers, and what the core's
 * caches hold and how their APF tuning does. Each call reads the figures afresh, without stopping other threads, so
 * figures taken together may be a moment apart. Any thread may call.
 */
public final class ApfByteBufAllocatorMetric implements ByteBufAllocatorMetric {
    private final BlockSource direct;
    private final BlockSource heap;

    ApfByteBufAllocatorMetric(BlockSource direct, BlockSource heap) {
        this.direct = direct;
        this.heap = heap;
    }

    /**
     * Returns the bytes the direct core holds from the OS: superblocks (with their free blocks, cached or not) and
     * large allocations. This is the process's footprint; {@link #liveDirectBytes()} is what buffers use of it.
     */
    @Override
    public long usedDirectMemory() {
        return direct.heldBytes();
    }

    /**
     * Returns the Java heap the heap core holds: its {@code byte[]} superblocks (with their free blocks) and the
     * arrays of heap buffers too large to pool (above 4 MiB).
     */
    @Override
    public long usedHeapMemory() {
        return heap.heldBytes();
    }

    /** Returns the summed capacities of live direct buffers. */
    public long liveDirectBytes() {
        return direct.live().bytes();
    }

    /** Returns how many direct buffers are allocated and not yet released. */
    public long liveDirectBuffers() {
        return direct.live().buffers();
    }

    /** Returns the summed capacities of live heap buffers. */
    public long liveHeapBytes() {
        return heap.live().bytes();
    }

    /** Returns how many heap buffers are allocated and not yet released. */
    public long liveHeapBuffers() {
        return heap.live().buffers();
    }

    /** Returns the direct core's memory figures (mapped, retained, large, cached bytes, limit). */
    public AllocatorStats directStats() {
        return direct.core().stats();
    }

    /** Returns the heap core's memory figures (superblock bytes, retained, cached bytes, limit). */
    public AllocatorStats heapStats() {
        return heap.core().stats();
    }

    /**
     * Returns every cache of the direct core with its bins: one per event loop (named after its thread) and the
     * shared stripes ({@code shared-N}) that other threads use. Each bin shows the APF tuner's decisions: fetches,
     * blocks fetched and returned, allocations per fetch, return threshold.
     */
    public List<ThreadCacheStats> threadCaches() {
        return direct.core().cacheStats();
    }

    /** Returns every cache of the heap core, as {@link #threadCaches()} does for the direct core. */
    public List<ThreadCacheStats> heapThreadCaches() {
        return heap.core().cacheStats();
    }

    /** Returns the direct core's bins summed over all caches, one entry per size class used, smallest first. */
    public List<SizeClass> sizeClasses() {
        return sumBySizeClass(threadCaches());
    }

    /** Returns the heap core's bins summed over all caches, as {@link #sizeClasses()} does for the direct core. */
    public List<SizeClass> heapSizeClasses() {
        return sumBySizeClass(heapThreadCaches());
    }

    private static List<SizeClass> sumBySizeClass(List<ThreadCacheStats> caches) {
        Map<Integer, long[]> sums = new TreeMap<>();
        for (ThreadCacheStats cache : caches) {
            for (BinStats bin : cache.bins()) {
                long[] sum = sums.computeIfAbsent(bin.blockSize(), size -> new long[5]);
                sum[0] += bin.cachedBlocks();
                sum[1] += bin.allocations();
                sum[2] += bin.fetches();
                sum[3] += bin.blocksFetched();
                sum[4] += bin.blocksReturned();
            }
        }
        List<SizeClass> classes = new ArrayList<>(sums.size());
        sums.forEach((size, sum) -> classes.add(new SizeClass(size, sum[0], sum[1], sum[2], sum[3], sum[4])));
        return classes;
    }

    @Override
    public String toString() {
        AllocatorStats stats = directStats();
        return "ApfByteBufAllocatorMetric(usedDirectMemory: " + stats.mappedBytes()
            + "; liveDirectBytes: " + liveDirectBytes()
            + "; liveDirectBuffers: " + liveDirectBuffers()
            + "; cachedDirectBytes: " + stats.cachedBytes()
            + "; retainedDirectBytes: " + stats.retainedBytes()
            + "; usedHeapMemory: " + usedHeapMemory()
            + "; liveHeapBuffers: " + liveHeapBuffers()
            + "; threadCaches: " + threadCaches().size() + ")";
    }

    /**
     * One size class of the direct core, summed over every cache.
     *
     * @param blockSize      the class's block size
     * @param cachedBlocks   free blocks sitting in caches now
     * @param allocations    allocations the caches served from this class
     * @param fetches        trips to the shared heap
     * @param blocksFetched  blocks those trips brought
     * @param blocksReturned blocks given back to the shared heap
     */
    public record SizeClass(int blockSize, long cachedBlocks, long allocations, long fetches, long blocksFetched,
                            long blocksReturned) {
        /** Returns the achieved allocations per fetch over all caches (0 before the first fetch). */
        public double allocationsPerFetch() {
            return fetches == 0 ? 0 : (double) allocations / fetches;
        }
    }
}
