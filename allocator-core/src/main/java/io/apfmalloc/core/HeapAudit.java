package io.apfmalloc.core;

import io.apfmalloc.core.internal.heap.Heap;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.superblock.AnchorLayout;
import io.apfmalloc.core.internal.superblock.Descriptor;
import io.apfmalloc.core.internal.superblock.DescriptorRegistry;
import io.apfmalloc.core.internal.tcache.ThreadCaches;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result of {@link ApfAllocator#audit}: every block of every mapped superblock must be in exactly one place
 * (with a user, in a thread cache, or on the superblock's free list), every PARTIAL superblock on its class's partial
 * list once, and every large allocation with a user.
 *
 * @param superblocks      mapped superblocks walked
 * @param freeListBlocks   blocks found on superblock free lists
 * @param cachedBlocks     blocks found in thread caches and shared stripes
 * @param liveBlocks       small blocks the caller listed as live
 * @param largeAllocations large allocations found (each must be listed as live)
 * @param problems         what is wrong; empty when the heap is consistent
 */
public record HeapAudit(long superblocks, long freeListBlocks, long cachedBlocks, long liveBlocks,
                        long largeAllocations, List<String> problems) {
    private static final int MAX_PROBLEMS = 20;

    /** Returns whether no problem was found. */
    public boolean isConsistent() {
        return problems.isEmpty();
    }

    static HeapAudit run(Heap heap, ThreadCaches caches, long[] liveAllocations) {
        return new Walk(heap).run(caches, liveAllocations);
    }

    /** One audit's state; audits are rare and may allocate freely. */
    private static final class Walk {
        private final Heap heap;
        private final Map<Descriptor, BitSet> placed = new HashMap<>();
        private final Set<Long> largeAddresses = new HashSet<>();
        private final List<String> problems = new ArrayList<>();
        private long freeListBlocks;
        private long cachedBlocks;
        private long liveBlocks;
        private long largeAllocations;

        Walk(Heap heap) {
            this.heap = heap;
        }

        HeapAudit run(ThreadCaches caches, long[] liveAllocations) {
            DescriptorRegistry registry = heap.registry();
            for (int id = 0; id < registry.size(); id++) {
                Descriptor descriptor = registry.get(id);
                if (descriptor != null) {
                    walkDescriptor(descriptor);
                }
            }
            largeAllocations = largeAddresses.size();
            checkPartialLists();
            caches.forEachCache(cache -> cache.forEachCachedBlock(block -> {
                cachedBlocks++;
                place(block, "in a thread cache");
            }));
            for (long address : liveAllocations) {
                Descriptor owner = heap.descriptorOf(address);
                if (owner != null && owner.sizeClass() == Descriptor.LARGE && owner.base() == address) {
                    if (!largeAddresses.remove(address)) {
                        problem("large allocation 0x%x listed twice", address);
                    }
                } else {
                    liveBlocks++;
                    place(address, "live");
                }
            }
            for (Map.Entry<Descriptor, BitSet> entry : placed.entrySet()) {
                int missing = entry.getKey().blockCount() - entry.getValue().cardinality();
                if (missing != 0) {
                    problem("%d blocks of %s are nowhere (lost)", missing, entry.getKey());
                }
            }
            for (long address : largeAddresses) {
                problem("large allocation 0x%x is mapped but not listed as live", address);
            }
            return new HeapAudit(placed.size(), freeListBlocks, cachedBlocks, liveBlocks, largeAllocations,
                List.copyOf(problems));
        }

        private void walkDescriptor(Descriptor descriptor) {
            int sizeClass = descriptor.sizeClass();
            long anchor = descriptor.lvAnchor();
            int state = AnchorLayout.state(anchor);
            if (sizeClass == Descriptor.LARGE) {
                if (state == AnchorLayout.FULL) {
                    largeAddresses.add(descriptor.base());
                }
                return;
            }
            if (sizeClass < 0 || state == AnchorLayout.EMPTY) {
                return;
            }
            int blockCount = descriptor.blockCount();
            int count = AnchorLayout.count(anchor);
            boolean countFitsState = state == AnchorLayout.FULL ? count == 0 : count > 0 && count <= blockCount;
            if (!countFitsState) {
                problem("%s: count does not fit its state", descriptor);
            }
            BitSet blocks = new BitSet(blockCount);
            placed.put(descriptor, blocks);
            int index = AnchorLayout.avail(anchor);
            for (int i = 0; i < count; i++) {
                if (index < 0 || index >= blockCount) {
                    problem("%s: free-list link leads out of the superblock (%d)", descriptor, index);
                    return;
                }
                long block = descriptor.base() + (long) index * descriptor.blockSize();
                freeListBlocks++;
                place(block, "on its superblock's free list");
                index += 1 + heap.links().readLink(block);
            }
        }

        private void checkPartialLists() {
            Map<Descriptor, Integer> listed = new HashMap<>();
            for (int sizeClass = 0; sizeClass < SizeClasses.COUNT; sizeClass++) {
                int expectedClass = sizeClass;
                heap.partialList(sizeClass).forEachQuiescent(heap.registry().size(), id -> {
                    Descriptor descriptor = heap.registry().get(id);
                    listed.merge(descriptor, 1, Integer::sum);
                    if (descriptor.sizeClass() != expectedClass) {
                        problem("%s is on the partial list of class %d", descriptor, expectedClass);
                    }
                });
            }
            for (Descriptor descriptor : placed.keySet()) {
                boolean partial = AnchorLayout.state(descriptor.lvAnchor()) == AnchorLayout.PARTIAL;
                int times = listed.getOrDefault(descriptor, 0);
                if (partial ? times != 1 : times != 0) {
                    problem("%s is on its partial list %d times", descriptor, times);
                }
            }
        }

        private void place(long block, String where) {
            Descriptor owner = heap.descriptorOf(block);
            BitSet blocks = owner == null ? null : placed.get(owner);
            if (blocks == null) {
                problem("block 0x%x %s belongs to no mapped superblock", block, where);
                return;
            }
            long offset = block - owner.base();
            int index = SizeClasses.blockIndex(owner.sizeClass(), offset);
            if ((long) index * owner.blockSize() != offset) {
                problem("0x%x %s is not the start of a block", block, where);
            } else if (blocks.get(index)) {
                problem("block 0x%x is counted twice (again %s)", block, where);
            } else {
                blocks.set(index);
            }
        }

        private void problem(String format, Object... args) {
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(String.format(format, args));
            }
        }
    }
}
