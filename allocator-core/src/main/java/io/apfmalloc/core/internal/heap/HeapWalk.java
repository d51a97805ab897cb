package io.apfmalloc.core.internal.heap;

import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.superblock.AnchorLayout;
import io.apfmalloc.core.internal.superblock.Descriptor;
import io.apfmalloc.core.internal.superblock.DescriptorRegistry;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One walk of the invariant checker over a quiescent heap (the public figures are {@code HeapAudit}'s): it places
 * every block of every mapped superblock (free list, thread cache, user), counts each descriptor's memberships of the
 * partial lists and the retired stack, and compares the heap's counters with what it found. Audits are rare and may
 * allocate freely.
 */
public final class HeapWalk {
    private static final int MAX_PROBLEMS = 20;

    private final Heap heap;
    private final DescriptorRegistry registry;
    private final int descriptors;
    /** By descriptor id: the blocks of a mapped superblock found so far; null for any other descriptor. */
    private final BitSet[] placed;
    private final int[] onPartialList;
    private final int[] onRetiredStack;
    private final Set<Long> largeAddresses = new HashSet<>();
    private final List<String> problems = new ArrayList<>();
    private long superblocks;
    private long freeListBlocks;
    private long cachedBlocks;
    private long liveBlocks;
    private long mappedBytes;
    private long retainedBytes;
    private long largeBytes;

    /** Starts a walk of {@code heap}, which no thread may change until the walk is done. */
    public HeapWalk(Heap heap) {
        this.heap = heap;
        this.registry = heap.registry();
        this.descriptors = registry.size();
        this.placed = new BitSet[descriptors];
        this.onPartialList = new int[descriptors];
        this.onRetiredStack = new int[descriptors];
    }

    /**
     * Walks the partial lists, the retired-descriptor stack, every descriptor and every superblock's free list.
     * Call first, then {@link #cachedBlock} for every cached block, then {@link #finish}.
     */
    public void walkHeap() {
        countStackMemberships();
        for (int id = 0; id < descriptors; id++) {
            Descriptor descriptor = registry.get(id);
            if (descriptor != null) {
                walkDescriptor(descriptor);
            }
        }
    }

    /** Places {@code block}, found in a thread cache's bin of class {@code sizeClass}. */
    public void cachedBlock(int sizeClass, long block) {
        cachedBlocks++;
        place(block, sizeClass, "in a thread cache");
    }

    /**
     * Ends the walk. {@code liveAllocations} null: every block neither free nor cached is counted as with a user.
     * Otherwise exactly the listed allocations must be with users, and any other such block is reported lost.
     */
    public void finish(long[] liveAllocations) {
        if (liveAllocations != null) {
            placeListed(liveAllocations);
        }
        for (int id = 0; id < descriptors; id++) {
            if (placed[id] != null) {
                int unplaced = registry.get(id).blockCount() - placed[id].cardinality();
                if (liveAllocations == null) {
                    liveBlocks += unplaced;
                } else if (unplaced != 0) {
                    problem("%d blocks of %s are nowhere (lost)", unplaced, registry.get(id));
                }
            }
        }
        checkCounters();
    }

    /** Returns the mapped superblocks walked. */
    public long superblocks() {
        return superblocks;
    }

    /** Returns the blocks found on superblock free lists. */
    public long freeListBlocks() {
        return freeListBlocks;
    }

    /** Returns the blocks found in thread caches. */
    public long cachedBlocks() {
        return cachedBlocks;
    }

    /** Returns the small blocks with users, as {@link #finish} counted them. */
    public long liveBlocks() {
        return liveBlocks;
    }

    /** Returns the large allocations mapped. */
    public long largeAllocations() {
        return largeAddresses.size();
    }

    /** Returns the bytes of the superblocks and large allocations found. */
    public long mappedBytes() {
        return mappedBytes;
    }

    /** Returns what is wrong, at most {@value #MAX_PROBLEMS} findings; empty when the heap is consistent. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private void countStackMemberships() {
        for (int sizeClass = 0; sizeClass < SizeClasses.COUNT; sizeClass++) {
            int listClass = sizeClass;
            int[] length = {0};
            heap.partialList(sizeClass).forEachQuiescent(descriptors + 1, id -> {
                length[0]++;
                onPartialList[id]++;
                Descriptor descriptor = registry.get(id);
                if (descriptor.sizeClass() != listClass) {
                    problem("%s is on the partial list of class %d", descriptor, listClass);
                }
            });
            if (length[0] > descriptors) {
                problem("the partial list of class %d is longer than the descriptors (a cycle)", sizeClass);
            }
        }
        int[] retired = {0};
        heap.retiredDescriptors().forEachQuiescent(descriptors + 1, id -> {
            retired[0]++;
            onRetiredStack[id]++;
        });
        if (retired[0] > descriptors) {
            problem("the retired-descriptor stack is longer than the descriptors (a cycle)");
        }
    }

    private void walkDescriptor(Descriptor descriptor) {
        int id = descriptor.id();
        int sizeClass = descriptor.sizeClass();
        int state = AnchorLayout.state(descriptor.lvAnchor());
        if (sizeClass == Descriptor.RETIRED) {
            expectMemberships(descriptor, 0, 1);
        } else if (sizeClass == Descriptor.LARGE) {
            if (state != AnchorLayout.FULL) {
                problem("%s: a freed large allocation that was not retired", descriptor);
            }
            expectMemberships(descriptor, 0, 0);
            expectInPageMap(descriptor, descriptor.base());
            largeAddresses.add(descriptor.base());
            largeBytes += descriptor.mappingSize();
            mappedBytes += descriptor.mappingSize();
        } else if (state == AnchorLayout.EMPTY) {
            expectMemberships(descriptor, 1, 0);
            if (heap.descriptorOf(descriptor.base()) == descriptor) {
                problem("%s: released, but still in the page map", descriptor);
            }
        } else {
            superblocks++;
            mappedBytes += descriptor.mappingSize();
            expectMemberships(descriptor, state == AnchorLayout.PARTIAL ? 1 : 0, 0);
            expectInPageMap(descriptor, descriptor.base());
            expectInPageMap(descriptor, descriptor.base() + descriptor.mappingSize() - 1);
            placed[id] = new BitSet(descriptor.blockCount());
            walkFreeList(descriptor);
        }
    }

    private void walkFreeList(Descriptor descriptor) {
        long anchor = descriptor.lvAnchor();
        int state = AnchorLayout.state(anchor);
        int blockCount = descriptor.blockCount();
        int count = AnchorLayout.count(anchor);
        boolean countFitsState = state == AnchorLayout.FULL ? count == 0 : count > 0 && count <= blockCount;
        if (!countFitsState) {
            problem("%s: count does not fit its state", descriptor);
            return;
        }
        if (count == blockCount) {
            retainedBytes += descriptor.mappingSize();
        }
        int index = AnchorLayout.avail(anchor);
        for (int i = 0; i < count; i++) {
            if (index < 0 || index >= blockCount) {
                problem("%s: free-list link leads out of the superblock (%d)", descriptor, index);
                return;
            }
            long block = descriptor.base() + (long) index * descriptor.blockSize();
            freeListBlocks++;
            if (!place(block, descriptor.sizeClass(), "on its superblock's free list")) {
                return;
            }
            index += 1 + heap.readLink(descriptor, block);
        }
    }

    private void expectMemberships(Descriptor descriptor, int partialLists, int retiredStack) {
        int id = descriptor.id();
        if (onPartialList[id] != partialLists || onRetiredStack[id] != retiredStack) {
            problem("%s is on partial lists %d times (expected %d) and on the retired stack %d times"
                + " (expected %d)", descriptor, onPartialList[id], partialLists, onRetiredStack[id], retiredStack);
        }
    }

    private void expectInPageMap(Descriptor descriptor, long address) {
        Descriptor mapped = heap.descriptorOf(address);
        if (mapped != descriptor) {
            problem("the page map gives %s for 0x%x of %s", mapped, address, descriptor);
        }
    }

    private void placeListed(long[] liveAllocations) {
        Set<Long> largeListed = new HashSet<>();
        for (long address : liveAllocations) {
            Descriptor owner = heap.descriptorOf(address);
            if (owner != null && owner.sizeClass() == Descriptor.LARGE && owner.base() == address) {
                if (!largeListed.add(address)) {
                    problem("large allocation 0x%x listed twice", address);
                }
            } else {
                liveBlocks++;
                place(address, owner == null ? Descriptor.RETIRED : owner.sizeClass(), "listed as live");
            }
        }
        for (long address : largeAddresses) {
            if (!largeListed.contains(address)) {
                problem("large allocation 0x%x is mapped but not listed as live", address);
            }
        }
    }

    /** Marks {@code block} found {@code where}; returns false, reporting why, if it cannot be placed. */
    private boolean place(long block, int expectedClass, String where) {
        Descriptor owner = heap.descriptorOf(block);
        BitSet blocks = owner == null || owner.id() >= descriptors ? null : placed[owner.id()];
        if (blocks == null) {
            problem("block 0x%x %s belongs to no mapped superblock", block, where);
            return false;
        }
        long offset = block - owner.base();
        int index = SizeClasses.blockIndex(owner.sizeClass(), offset);
        if ((long) index * owner.blockSize() != offset) {
            problem("0x%x %s is not the start of a block of %s", block, where, owner);
            return false;
        }
        if (owner.sizeClass() != expectedClass) {
            problem("block 0x%x of class %d is %s of class %d", block, owner.sizeClass(), where, expectedClass);
        }
        if (blocks.get(index)) {
            problem("block 0x%x is counted twice (again %s)", block, where);
            return false;
        }
        blocks.set(index);
        return true;
    }

    private void checkCounters() {
        if (heap.limit().reserved() != mappedBytes) {
            problem("%d bytes reserved under the limit, but %d mapped", heap.limit().reserved(), mappedBytes);
        }
        if (heap.liveSuperblocks() != superblocks) {
            problem("liveSuperblocks() is %d, but %d superblocks are mapped", heap.liveSuperblocks(), superblocks);
        }
        if (heap.retainedBytes() != retainedBytes) {
            problem("retainedBytes() is %d, but %d bytes of superblocks are wholly free", heap.retainedBytes(),
                retainedBytes);
        }
        if (heap.largeBytes() != largeBytes) {
            problem("largeBytes() is %d, but %d bytes of large allocations are mapped", heap.largeBytes(),
                largeBytes);
        }
    }

    private void problem(String format, Object... args) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(String.format(format, args));
        }
    }
}
