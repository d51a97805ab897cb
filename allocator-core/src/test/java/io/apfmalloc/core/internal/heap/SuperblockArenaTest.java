package io.apfmalloc.core.internal.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.internal.os.MemoryLimit;
import io.apfmalloc.core.internal.os.OsMemory;
import io.apfmalloc.core.internal.os.RawMemory;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.superblock.OffHeapLinkStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The superblock arena over real reserved memory: ranges carved and reused by class, the flat class map that
 * {@code free} reads, and the heap falling back to one mapping per superblock once the arena is used up.
 */
class SuperblockArenaTest {
    private static final int SMALL = 0;
    private static final int LARGEST = SizeClasses.COUNT - 1;

    private static SuperblockArena smallestArena() {
        SuperblockArena arena = SuperblockArena.reserve(OsMemory.INSTANCE, 1);
        assertNotEquals(SuperblockArena.NONE, arena, "the kernel refused a 64 MiB reservation");
        return arena;
    }

    @Test
    void reservationIsSizedFromTheLimitWithinItsBounds() {
        assertTrue(smallestArena().capacity() <= SuperblockArena.MIN_RESERVATION);
        assertTrue(smallestArena().capacity() > SuperblockArena.MIN_RESERVATION * 9 / 10, "tables stay small");
        SuperblockArena sized = SuperblockArena.reserve(OsMemory.INSTANCE, 256L << 20);
        assertTrue(sized.capacity() > (1000L << 20) && sized.capacity() <= 1L << 30, "four times the limit");
        assertEquals(0, SuperblockArena.NONE.capacity());
        assertEquals(-1, SuperblockArena.NONE.blockClassOf(1L << 30));
        assertFalse(SuperblockArena.NONE.contains(0));
    }

    @Test
    void classMapNamesExactlyTheBlockStartsOfLiveSuperblocks() {
        SuperblockArena arena = smallestArena();
        int sizeClass = LARGEST - 5;
        int blockSize = SizeClasses.blockSize(sizeClass);
        int blocks = SizeClasses.blocksPerSuperblock(sizeClass);
        long superblock = arena.take(sizeClass);
        assertTrue(arena.contains(superblock));
        assertEquals(0, superblock % SizeClasses.SUPERBLOCK_ALIGNMENT);
        assertEquals(-1, arena.blockClassOf(superblock), "not yet marked");

        arena.mark(superblock, sizeClass);
        for (int i = 0; i < blocks; i++) {
            long block = superblock + (long) i * blockSize;
            assertEquals(sizeClass, arena.blockClassOf(block), "block " + i);
            assertEquals(-1, arena.blockClassOf(block + 8), "inside block " + i);
        }
        long tail = superblock + (long) blocks * blockSize;
        if (tail < superblock + SizeClasses.superblockSize(sizeClass)) {
            assertEquals(-1, arena.blockClassOf(tail), "the unused tail holds no block");
        }
        assertEquals(-1, arena.blockClassOf(superblock - SizeClasses.SUPERBLOCK_ALIGNMENT));
        assertEquals(-1, arena.blockClassOf(0));
        assertEquals(-1, arena.blockClassOf(-superblock));

        arena.release(superblock, sizeClass);
        assertEquals(-1, arena.blockClassOf(superblock), "released");
    }

    @Test
    void releasedRangesReadZeroAndServeTheirClassAgain() {
        SuperblockArena arena = smallestArena();
        long first = arena.take(SMALL);
        arena.mark(first, SMALL);
        RawMemory.putInt(first + 64, 0x5eed);
        arena.release(first, SMALL);
        long carved = arena.carvedBytes();

        assertNotEquals(first, arena.take(LARGEST), "another class carves fresh units");
        long again = arena.take(SMALL);
        assertEquals(first, again, "the class's released range comes back");
        assertEquals(0, RawMemory.getInt(first + 64), "discarded pages read as zeros");
        assertEquals(carved + SizeClasses.superblockSize(LARGEST), arena.carvedBytes());
    }

    @Test
    void arenaRunsOutCleanly() {
        SuperblockArena arena = smallestArena();
        int perSuperblock = SizeClasses.superblockSize(LARGEST);
        long expected = arena.capacity() / perSuperblock;
        List<Long> taken = new ArrayList<>();
        for (long address = arena.take(LARGEST); address != 0; address = arena.take(LARGEST)) {
            taken.add(address);
        }
        assertEquals(expected, taken.size());
        long rest = arena.capacity() - expected * perSuperblock;
        int smallOnes = 0;
        while (arena.take(SMALL) != 0) {
            smallOnes++;
        }
        assertEquals(rest / SizeClasses.superblockSize(SMALL), smallOnes, "smaller superblocks use up the rest");
        assertEquals(arena.capacity(), arena.carvedBytes());
        arena.release(taken.get(3), LARGEST);
        assertEquals(taken.get(3), arena.take(LARGEST));
    }

    @Test
    void heapFallsBackToOwnMappingsWhenTheArenaIsUsedUpAndStaysConsistent() {
        SuperblockArena arena = smallestArena();
        Heap heap = new Heap(arena, OsMemory.INSTANCE, new MemoryLimit(1L << 30), OffHeapLinkStore.INSTANCE, false,
            0, 0);
        int blocks = SizeClasses.blocksPerSuperblock(LARGEST);
        long[] out = new long[blocks];
        List<long[]> superblocks = new ArrayList<>();
        boolean fellBack = false;
        for (int i = 0; i < arena.capacity() / SizeClasses.superblockSize(LARGEST) + 3; i++) {
            assertEquals(blocks, heap.fill(LARGEST, blocks, out, 0));
            boolean inArena = arena.contains(out[0]);
            fellBack |= !inArena;
            assertEquals(inArena ? LARGEST : -1, arena.blockClassOf(out[0]));
            assertSame(heap.descriptorOf(out[0]), heap.descriptorOf(out[blocks - 1]), "the page map knows both kinds");
            RawMemory.putInt(out[blocks - 1], 1);
            superblocks.add(out.clone());
        }
        assertTrue(fellBack);
        for (long[] superblock : superblocks) {
            heap.flush(superblock, 0, superblock.length);
        }
        assertEquals(0, heap.limit().reserved());
        assertEquals(0, heap.liveSuperblocks());
        assertEquals(blocks, heap.fill(LARGEST, blocks, out, 0));
        assertTrue(arena.contains(out[0]), "a released range is used before a new mapping");
        assertEquals(LARGEST, arena.blockClassOf(out[0]));
    }

    @Test
    void largeBlockClassesKeepTheirLinksOutOfTheBlocks() {
        SuperblockArena arena = smallestArena();
        Heap heap = new Heap(arena, OsMemory.INSTANCE, new MemoryLimit(1L << 30), OffHeapLinkStore.INSTANCE, false,
            0, 0);
        int sizeClass = 30;
        int blockSize = SizeClasses.blockSize(sizeClass);
        int blocks = SizeClasses.blocksPerSuperblock(sizeClass);
        assertTrue(SuperblockArena.sideLinked(sizeClass) && !SuperblockArena.sideLinked(SMALL));
        for (int round = 0; round < 3; round++) {
            long[] out = new long[blocks];
            assertEquals(blocks / 2, heap.fill(sizeClass, blocks / 2, out, 0));
            assertEquals(blocks - blocks / 2, heap.fill(sizeClass, blocks, out, blocks / 2), "the rest of the chain");
            assertEquals(blocks, Arrays.stream(out).distinct().count(), "round " + round + ": every block once");
            for (long block : out) {
                RawMemory.putInt(block, 0x5eed);
            }
            heap.flush(out, 0, blocks / 2);
            assertEquals(blocks / 2, heap.fill(sizeClass, blocks, out, 0), "the freed half comes back");
            for (long block : out) {
                assertEquals(0x5eed, RawMemory.getInt(block), "a free block's memory holds no link");
            }
            heap.flush(out, 0, blocks);
            assertEquals(0, heap.liveSuperblocks(), "released, its side links cleared for the next round");
        }
    }

    @Test
    void concurrentTakesAndReleasesNeverHandOutOneRangeTwice() throws Exception {
        SuperblockArena arena = smallestArena();
        int threads = 4;
        int rounds = 20_000;
        ConcurrentHashMap<Long, Integer> inUse = new ConcurrentHashMap<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                List<long[]> held = new ArrayList<>();
                try {
                    start.await();
                    for (int round = 0; round < rounds; round++) {
                        if (held.size() < 8 && (held.isEmpty() || random.nextBoolean())) {
                            int sizeClass = random.nextInt(3) * 20;
                            long range = arena.take(sizeClass);
                            if (range != 0) {
                                if (inUse.putIfAbsent(range, sizeClass) != null) {
                                    throw new AssertionError("0x" + Long.toHexString(range) + " handed out twice");
                                }
                                arena.mark(range, sizeClass);
                                held.add(new long[] {range, sizeClass});
                            }
                        } else {
                            long[] range = held.remove(random.nextInt(held.size()));
                            if (arena.blockClassOf(range[0]) != range[1]) {
                                throw new AssertionError("class map lost 0x" + Long.toHexString(range[0]));
                            }
                            inUse.remove(range[0]);
                            arena.release(range[0], (int) range[1]);
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(List.of(), failures);
    }
}
