package io.apfmalloc.core.internal.heap;

import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.superblock.AnchorLayout;
import io.apfmalloc.core.internal.superblock.Descriptor;
import io.apfmalloc.core.internal.superblock.DescriptorRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * What must hold of a {@link Heap} over a {@link FakeSuperblockMemory} once no thread is inside it. Every check
 * reads only; a failure throws an {@link AssertionError} listing every problem found.
 *
 * <ul>
 *   <li>Every block of a mapped superblock is either on its free list (once) or with a user, never both; the anchor
 *       says FULL for no free block and PARTIAL otherwise (a superblock with every block free is either kept for
 *       reuse, PARTIAL, and counted in the heap's retained bytes, or unmapped).</li>
 *   <li>A PARTIAL superblock's descriptor is on its partial list exactly once; a FULL one on none.</li>
 *   <li>Every descriptor is in exactly one place: describing one mapped superblock, or retired (on the retired
 *       stack once and on no partial list), or EMPTY and still on the partial list once (popped and retired
 *       later). None is lost, none serves two superblocks.</li>
 *   <li>An unmapped superblock is out of the page map; the live superblock count and the bytes reserved under
 *       the memory limit match the superblocks mapped now.</li>
 * </ul>
 */
final class HeapInvariants {
    private final Heap heap;
    private final FakeSuperblockMemory memory;
    private final int sizeClass;
    private final List<String> problems = new ArrayList<>();
    private int retainedSuperblocks;

    private HeapInvariants(Heap heap, FakeSuperblockMemory memory, int sizeClass) {
        this.heap = heap;
        this.memory = memory;
        this.sizeClass = sizeClass;
    }

    /** Checks every invariant; only while no thread uses the heap. */
    static void check(Heap heap, FakeSuperblockMemory memory, int sizeClass) {
        HeapInvariants invariants = new HeapInvariants(heap, memory, sizeClass);
        invariants.run();
        if (!invariants.problems.isEmpty()) {
            throw new AssertionError("heap inconsistent:\n  " + String.join("\n  ", invariants.problems));
        }
    }

    private void run() {
        DescriptorRegistry registry = heap.registry();
        int descriptors = registry.size();
        int[] onPartialList = new int[descriptors];
        int[] onRetiredStack = new int[descriptors];
        int[] superblocksDescribed = new int[descriptors];
        heap.partialList(sizeClass).forEachQuiescent(descriptors + 1, id -> onPartialList[id]++);
        heap.retiredDescriptors().forEachQuiescent(descriptors + 1, id -> onRetiredStack[id]++);
        for (int other = 0; other < SizeClasses.COUNT; other++) {
            if (other != sizeClass && !heap.partialList(other).isEmpty()) {
                problem("partial list of unused class %d is not empty", other);
            }
        }
        long live = 0;
        for (int superblock = 0; superblock < memory.superblocksMapped(); superblock++) {
            Descriptor descriptor = heap.descriptorOf(memory.baseOf(superblock));
            if (!memory.isMapped(superblock)) {
                if (descriptor != null) {
                    problem("unmapped superblock %d is still in the page map as %s", superblock, descriptor);
                }
                continue;
            }
            live++;
            if (descriptor == null) {
                problem("mapped superblock %d is not in the page map", superblock);
                continue;
            }
            superblocksDescribed[descriptor.id()]++;
            checkSuperblock(superblock, descriptor, onPartialList[descriptor.id()], onRetiredStack[descriptor.id()]);
        }
        for (int id = 0; id < descriptors; id++) {
            checkPlace(registry.get(id), superblocksDescribed[id], onPartialList[id], onRetiredStack[id]);
        }
        if (heap.liveSuperblocks() != live) {
            problem("liveSuperblocks() = %d but %d superblocks are mapped", heap.liveSuperblocks(), live);
        }
        if (heap.limit().reserved() != live * memory.superblockSize()) {
            problem("%d bytes reserved for %d superblocks", heap.limit().reserved(), live);
        }
        long expectedRetained = (long) retainedSuperblocks * SizeClasses.superblockSize(sizeClass);
        if (heap.retainedBytes() != expectedRetained) {
            problem("retained bytes %d, but %d wholly free superblocks are mapped", heap.retainedBytes(),
                retainedSuperblocks);
        }
    }

    private void checkSuperblock(int superblock, Descriptor descriptor, int onPartialList, int onRetiredStack) {
        long base = memory.baseOf(superblock);
        int blocks = memory.blocksPerSuperblock();
        if (descriptor.base() != base || descriptor.sizeClass() != sizeClass || descriptor.blockCount() != blocks) {
            problem("superblock %d at 0x%x mapped to %s", superblock, base, descriptor);
            return;
        }
        long anchor = descriptor.lvAnchor();
        int count = AnchorLayout.count(anchor);
        boolean[] free = new boolean[blocks];
        int index = AnchorLayout.avail(anchor);
        for (int i = 0; i < count; i++) {
            if (index < 0 || index >= blocks || free[index]) {
                problem("superblock %d: free list %s reaches block %d twice or out of range", superblock,
                    AnchorLayout.toString(anchor), index);
                return;
            }
            free[index] = true;
            if (i + 1 < count) {
                index += 1 + heap.readLink(descriptor, base + (long) index * descriptor.blockSize());
            }
        }
        for (int block = 0; block < blocks; block++) {
            boolean withUser = memory.isWithUser(superblock, block);
            if (free[block] == withUser) {
                problem("superblock %d block %d is %s", superblock, block,
                    withUser ? "with a user and on the free list" : "neither with a user nor on the free list");
            }
        }
        int expectedState = count == 0 ? AnchorLayout.FULL : AnchorLayout.PARTIAL;
        if (count == blocks) {
            retainedSuperblocks++;
        }
        if (AnchorLayout.state(anchor) != expectedState) {
            problem("superblock %d has anchor %s", superblock, AnchorLayout.toString(anchor));
        }
        int expectedOnPartialList = expectedState == AnchorLayout.PARTIAL ? 1 : 0;
        if (onPartialList != expectedOnPartialList || onRetiredStack != 0) {
            problem("live %s is on the partial list %d times and on the retired stack %d times", descriptor,
                onPartialList, onRetiredStack);
        }
    }

    private void checkPlace(Descriptor descriptor, int superblocksDescribed, int onPartialList, int onRetiredStack) {
        if (superblocksDescribed > 1) {
            problem("%s describes %d mapped superblocks", descriptor, superblocksDescribed);
        }
        if (superblocksDescribed == 1) {
            return;
        }
        boolean retired = onRetiredStack == 1 && onPartialList == 0 && descriptor.sizeClass() == Descriptor.RETIRED;
        boolean awaitingRetirement = onRetiredStack == 0 && onPartialList == 1
            && AnchorLayout.state(descriptor.lvAnchor()) == AnchorLayout.EMPTY && descriptor.sizeClass() == sizeClass;
        if (!retired && !awaitingRetirement) {
            problem("%s is lost or misplaced: on the partial list %d times, on the retired stack %d times",
                descriptor, onPartialList, onRetiredStack);
        }
    }

    private void problem(String format, Object... args) {
        problems.add(String.format(format, args));
    }
}
