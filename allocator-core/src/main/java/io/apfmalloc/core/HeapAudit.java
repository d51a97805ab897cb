package io.apfmalloc.core;

import io.apfmalloc.core.internal.heap.Heap;
import io.apfmalloc.core.internal.heap.HeapWalk;
import io.apfmalloc.core.internal.tcache.ThreadCaches;
import java.util.List;

/**
 * The result of {@link ApfAllocator#audit()}, the allocator's invariant checker. It walks every descriptor, every
 * superblock's free list, every partial list, the retired-descriptor stack and every thread cache's bins, and checks:
 * <ul>
 *   <li>every block of every mapped superblock is in exactly one place: on its superblock's free list, in a cache
 *       bin of its own size class, or with a user (never two of these, and, when the caller lists what it holds,
 *       never none);</li>
 *   <li>each anchor agrees with its free list (FULL: no free block; PARTIAL: 1 … all blocks), and no free-list link
 *       leads out of its superblock or around in a cycle;</li>
 *   <li>every descriptor is in exactly one place: describing one mapped superblock or large allocation (and found
 *       there by the page map), on its class's partial list once if it is PARTIAL, EMPTY and on its partial list
 *       once (waiting for a filler to retire it), or retired and on the retired stack once;</li>
 *   <li>the counters agree with the walk: bytes reserved under the memory limit equal the bytes mapped, and the
 *       live superblocks, retained bytes and large bytes equal what was found.</li>
 * </ul>
 * An audit allocates on the Java heap (a bit set per superblock) and takes about a millisecond per 10,000 free
 * blocks; it is meant for tests and for periodic checks of a paused workload, not for a hot path.
 *
 * @param superblocks      mapped superblocks walked
 * @param freeListBlocks   blocks found on superblock free lists
 * @param cachedBlocks     blocks found in thread caches and shared stripes
 * @param liveBlocks       small blocks with users: those listed by the caller, or, for {@link ApfAllocator#audit()},
 *                         every block found neither free nor cached
 * @param largeAllocations large allocations mapped (each is with a user)
 * @param mappedBytes      bytes of the superblocks and large allocations found
 * @param problems         what is wrong; empty when the heap is consistent
 */
public record HeapAudit(long superblocks, long freeListBlocks, long cachedBlocks, long liveBlocks,
                        long largeAllocations, long mappedBytes, List<String> problems) {
    /** Returns whether no problem was found. */
    public boolean isConsistent() {
        return problems.isEmpty();
    }

    /** Returns the allocations with users: small blocks and large allocations. */
    public long allocationsWithUsers() {
        return liveBlocks + largeAllocations;
    }

    /**
     * Walks the heap. {@code liveAllocations} null: every block neither free nor cached is counted as with a user.
     * Otherwise exactly the listed allocations must be with users, and any other such block is reported lost.
     */
    static HeapAudit run(Heap heap, ThreadCaches caches, long[] liveAllocations) {
        HeapWalk walk = new HeapWalk(heap);
        walk.walkHeap();
        caches.forEachCache(cache -> cache.forEachCachedBlock(walk::cachedBlock));
        walk.finish(liveAllocations);
        return new HeapAudit(walk.superblocks(), walk.freeListBlocks(), walk.cachedBlocks(), walk.liveBlocks(),
            walk.largeAllocations(), walk.mappedBytes(), walk.problems());
    }
}
