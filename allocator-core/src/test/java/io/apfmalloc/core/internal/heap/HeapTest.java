package io.apfmalloc.core.internal.heap;

import static io.apfmalloc.core.internal.superblock.AnchorLayout.FULL;
import static io.apfmalloc.core.internal.superblock.AnchorLayout.PARTIAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.internal.os.MemoryLimit;
import io.apfmalloc.core.internal.os.OsMemory;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.superblock.AnchorLayout;
import io.apfmalloc.core.internal.superblock.Descriptor;
import io.apfmalloc.core.internal.superblock.OffHeapLinkStore;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The anchor state machine of DESIGN §2.2, one transition at a time, over real mapped memory. The 64 KiB class has
 * four blocks per superblock, so every state is a few calls away.
 */
class HeapTest {
    private static final int CLASS = SizeClasses.classOf(64 << 10);
    private static final int BLOCKS = SizeClasses.blocksPerSuperblock(CLASS);
    private static final int SUPERBLOCK = SizeClasses.superblockSize(CLASS);

    private MemoryLimit limit;
    private Heap heap;
    private final long[] out = new long[2 * BLOCKS];

    @BeforeEach
    void newHeap() {
        limit = new MemoryLimit(64L << 20);
        heap = new Heap(OsMemory.INSTANCE, limit, OffHeapLinkStore.INSTANCE, false, 0);
    }

    private long anchorOf(long block) {
        return heap.descriptorOf(block).lvAnchor();
    }

    private Set<Integer> partialListIds() {
        Set<Integer> ids = new HashSet<>();
        heap.partialList(CLASS).forEachQuiescent(100, ids::add);
        return ids;
    }

    @Test
    void newSuperblockTakenWholeIsFullAndOnNoList() {
        assertEquals(4, BLOCKS);
        assertEquals(BLOCKS, heap.fill(CLASS, BLOCKS, out, 0));
        long anchor = anchorOf(out[0]);
        assertEquals(FULL, AnchorLayout.state(anchor));
        assertEquals(0, AnchorLayout.count(anchor));
        assertTrue(partialListIds().isEmpty());
        assertEquals(SUPERBLOCK, limit.reserved());
        Descriptor descriptor = heap.descriptorOf(out[0]);
        for (int i = 0; i < BLOCKS; i++) {
            assertEquals(descriptor.base() + (long) i * SizeClasses.blockSize(CLASS), out[i]);
            assertSame(descriptor, heap.descriptorOf(out[i] + SizeClasses.blockSize(CLASS) - 1));
        }
        assertEquals(0, descriptor.base() % SizeClasses.SUPERBLOCK_ALIGNMENT);
    }

    @Test
    void newSuperblockTakenInPartIsPartialWithTheUntouchedTailOnItsList() {
        assertEquals(1, heap.fill(CLASS, 1, out, 0));
        long anchor = anchorOf(out[0]);
        assertEquals(PARTIAL, AnchorLayout.state(anchor));
        assertEquals(1, AnchorLayout.avail(anchor));
        assertEquals(BLOCKS - 1, AnchorLayout.count(anchor));
        assertEquals(Set.of(heap.descriptorOf(out[0]).id()), partialListIds());

        assertEquals(1, heap.fill(CLASS, 1, out, 1), "a partial superblock yields what the fill wants");
        anchor = anchorOf(out[0]);
        assertEquals(PARTIAL, AnchorLayout.state(anchor), "the rest stays on its list");
        assertEquals(BLOCKS - 2, AnchorLayout.count(anchor));
        assertEquals(Set.of(heap.descriptorOf(out[0]).id()), partialListIds(), "and on the partial list");
        assertEquals(BLOCKS - 2, heap.fill(CLASS, BLOCKS, out, 2), "at most what the superblock has");
        assertEquals(FULL, AnchorLayout.state(anchorOf(out[0])));
        assertTrue(partialListIds().isEmpty());
        assertEquals(BLOCKS, Arrays.stream(out, 0, BLOCKS).distinct().count());
        assertEquals(SUPERBLOCK, limit.reserved(), "both fills came from one superblock");
    }

    @Test
    void fullToPartialPushesOntoThePartialListOnce() {
        heap.fill(CLASS, BLOCKS, out, 0);
        heap.flush(out, 0, 1);
        long anchor = anchorOf(out[1]);
        assertEquals(PARTIAL, AnchorLayout.state(anchor));
        assertEquals(1, AnchorLayout.count(anchor));
        int index = (int) ((out[0] - heap.descriptorOf(out[1]).base()) / SizeClasses.blockSize(CLASS));
        assertEquals(index, AnchorLayout.avail(anchor));
        heap.flush(out, 1, 2);
        assertEquals(2, AnchorLayout.count(anchorOf(out[2])));
        assertEquals(1, partialListIds().size(), "PARTIAL to PARTIAL does not push again");
    }

    @Test
    void fillsTakeTheFlushedBlocksBackInListOrder() {
        heap.fill(CLASS, BLOCKS, out, 0);
        long[] returned = {out[2], out[0], out[3]};
        heap.flush(returned, 0, 3);
        long[] again = new long[2 * BLOCKS];
        assertEquals(2, heap.fill(CLASS, 2, again, 0));
        assertEquals(out[2], again[0]);
        assertEquals(out[0], again[1]);
        long anchor = anchorOf(out[0]);
        assertEquals(PARTIAL, AnchorLayout.state(anchor), "the block not wanted went back");
        assertEquals(1, AnchorLayout.count(anchor));
        assertEquals(1, heap.fill(CLASS, 2, again, 2));
        assertEquals(out[3], again[2]);
        assertEquals(FULL, AnchorLayout.state(anchorOf(out[0])));
        assertTrue(partialListIds().isEmpty());
    }

    @Test
    void fullToEmptyInOneFlushReleasesMemoryAndRetiresTheDescriptorAtOnce() {
        heap.fill(CLASS, BLOCKS, out, 0);
        Descriptor descriptor = heap.descriptorOf(out[0]);
        heap.flush(out, 0, BLOCKS);
        assertEquals(0, limit.reserved(), "memory went back to the OS");
        assertNull(heap.descriptorOf(out[0]), "page map cleared");
        assertEquals(Descriptor.RETIRED, descriptor.sizeClass());
        assertEquals(0, heap.liveSuperblocks());

        heap.fill(CLASS, BLOCKS, out, 0);
        assertSame(descriptor, heap.descriptorOf(out[0]), "the retired descriptor is reused");
        assertEquals(1, heap.registry().size());
    }

    @Test
    void partialToEmptyStaysListedUntilAFillPopsAndRetiresIt() {
        heap.fill(CLASS, BLOCKS, out, 0);
        Descriptor descriptor = heap.descriptorOf(out[0]);
        heap.flush(out, 0, 1);
        heap.flush(out, 1, BLOCKS);
        assertEquals(AnchorLayout.EMPTY, AnchorLayout.state(descriptor.lvAnchor()));
        assertEquals(0, limit.reserved());
        assertEquals(Set.of(descriptor.id()), partialListIds(), "EMPTY stays on the list until popped");
        assertEquals(CLASS, descriptor.sizeClass());

        assertEquals(BLOCKS, heap.fill(CLASS, BLOCKS, out, 0), "the fill skips it and maps a new superblock");
        assertTrue(partialListIds().isEmpty());
        assertSame(descriptor, heap.descriptorOf(out[0]), "retired on pop, then reused");
    }

    @Test
    void flushGroupsBlocksOfSeveralSuperblocks() {
        heap.fill(CLASS, BLOCKS, out, 0);
        long[] second = new long[2 * BLOCKS];
        heap.fill(CLASS, BLOCKS, second, 0);
        assertNotEquals(heap.descriptorOf(out[0]), heap.descriptorOf(second[0]));
        long[] mixed = {out[0], out[1], second[0], out[2], second[1]};
        heap.flush(mixed, 0, mixed.length);
        assertEquals(3, AnchorLayout.count(anchorOf(out[3])));
        assertEquals(2, AnchorLayout.count(anchorOf(second[2])));
        assertEquals(2, partialListIds().size());
    }

    @Test
    void whollyFreeSuperblocksAreRetainedWithinBudgetAndReleasedOnRequest() {
        Heap retaining = new Heap(OsMemory.INSTANCE, limit, OffHeapLinkStore.INSTANCE, false, SUPERBLOCK);
        long[] second = new long[2 * BLOCKS];
        retaining.fill(CLASS, BLOCKS, out, 0);
        retaining.fill(CLASS, BLOCKS, second, 0);
        retaining.flush(out, 0, BLOCKS);
        long anchor = retaining.descriptorOf(out[0]).lvAnchor();
        assertEquals(PARTIAL, AnchorLayout.state(anchor), "kept, all blocks free");
        assertEquals(BLOCKS, AnchorLayout.count(anchor));
        assertEquals(SUPERBLOCK, retaining.retainedBytes());
        retaining.flush(second, 0, BLOCKS);
        assertNull(retaining.descriptorOf(second[0]), "over budget: released");
        assertEquals(SUPERBLOCK, limit.reserved());

        long[] again = new long[2 * BLOCKS];
        assertEquals(1, retaining.fill(CLASS, 1, again, 0), "the retained superblock is reused");
        assertEquals(0, retaining.retainedBytes(), "no longer wholly free");
        assertEquals(BLOCKS - 1, retaining.fill(CLASS, BLOCKS, again, 1), "the rest stayed on its list");
        assertEquals(SUPERBLOCK, limit.reserved());
        retaining.flush(again, 0, BLOCKS);
        assertEquals(SUPERBLOCK, retaining.retainedBytes());

        retaining.releaseRetainedSuperblocks();
        assertEquals(0, retaining.retainedBytes());
        assertEquals(0, limit.reserved());
        assertEquals(0, retaining.liveSuperblocks());
    }

    @Test
    void decayKeepsSuperblocksPastTheBudgetForOneToTwoPeriodsWhileTheHeapIsUsed() throws InterruptedException {
        long periodMillis = 100;
        Heap decaying = new Heap(SuperblockArena.NONE, OsMemory.INSTANCE, limit, OffHeapLinkStore.INSTANCE, false, 0,
            periodMillis);
        long[] first = new long[BLOCKS];
        assertEquals(BLOCKS, decaying.fill(CLASS, BLOCKS, first, 0));
        decaying.flush(first, 0, BLOCKS);
        assertEquals(SUPERBLOCK, decaying.retainedBytes(), "past a budget of 0, kept while it decays");
        assertEquals(1, decaying.liveSuperblocks());

        long[] small = new long[1];
        Thread.sleep(periodMillis + 20);
        assertEquals(1, decaying.fill(1, 1, small, 0), "mapping a superblock runs the pass that is due");
        assertEquals(SUPERBLOCK, decaying.retainedBytes(), "the first pass only starts a new epoch");

        Thread.sleep(periodMillis + 20);
        assertEquals(1, decaying.fill(2, 1, small, 0));
        assertEquals(0, decaying.retainedBytes(), "the second pass releases what was kept before the first");
        assertEquals(2, decaying.liveSuperblocks(), "only the two small classes' superblocks are left");
        assertEquals(SizeClasses.superblockSize(1) + SizeClasses.superblockSize(2), limit.reserved());
    }

    @Test
    void limitRefusesANewSuperblockWithoutChangingAnything() {
        Heap tight = new Heap(OsMemory.INSTANCE, new MemoryLimit(SUPERBLOCK - 1), OffHeapLinkStore.INSTANCE, false,
            0);
        assertEquals(0, tight.fill(CLASS, BLOCKS, out, 0));
        assertEquals(0, tight.limit().reserved());
        assertEquals(0, tight.registry().size());
    }

    @Test
    void largeAllocationsMapAndUnmapAndCatchDoubleFree() {
        long address = heap.allocateLarge(3 << 20, 1 << 21);
        assertNotEquals(0, address);
        assertEquals(0, address % (1 << 21));
        Descriptor descriptor = heap.descriptorOf(address);
        assertEquals(Descriptor.LARGE, descriptor.sizeClass());
        assertEquals(3 << 20, heap.largeBytes());
        heap.freeLarge(descriptor, address);
        assertEquals(0, limit.reserved());
        assertFalse(heap.descriptorOf(address) == descriptor);
        assertThrows(IllegalStateException.class, () -> heap.freeLarge(descriptor, address));
        assertEquals(0, heap.allocateLarge(Heap.MAX_LARGE_SIZE + 1, 4096));
    }
}
