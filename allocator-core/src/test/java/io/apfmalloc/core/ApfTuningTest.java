package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/** APF tuning seen from the outside: the behaviours the theory predicts, deterministically. */
class ApfTuningTest {
    private static final int SIZE = 64;

    private static ApfAllocator apf() {
        return ApfAllocator.builder().tuningPolicy(TuningPolicy.APF).apfTarget(1000).retainBytes(0).retainMillis(0)
            .build();
    }

    private static BinStats binOf(ApfAllocator allocator, String owner, int blockSize) {
        return allocator.cacheStats().stream()
            .filter(cache -> cache.owner().equals(owner))
            .flatMap(cache -> cache.bins().stream())
            .filter(bin -> bin.blockSize() == blockSize)
            .findFirst().orElseThrow();
    }

    private static BinStats myBin(ApfAllocator allocator) {
        return binOf(allocator, Thread.currentThread().getName(), SIZE);
    }

    @Test
    void anAllocateOnlyThreadReachesAnApfNearTheTarget() {
        ApfAllocator allocator = apf();
        long[] blocks = new long[100_000];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = allocator.malloc(SIZE);
        }
        BinStats bin = myBin(allocator);
        assertEquals(blocks.length, bin.allocations());
        assertTrue(bin.allocationsPerFetch() > 900 && bin.allocationsPerFetch() <= 1000, bin.toString());
        for (long block : blocks) {
            allocator.free(block);
        }
    }

    @Test
    void untrackedAllocationsLeaveTheTunerClockAlone() {
        ApfAllocator allocator = apf();
        allocator.free(allocator.malloc(SIZE));
        long[] blocks = new long[5000];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = allocator.mallocUntracked(SIZE);
        }
        for (long block : blocks) {
            allocator.freeUntracked(block);
        }
        BinStats bin = myBin(allocator);
        assertEquals(1, bin.allocations(), "only the tracked allocation advanced the clock");
        assertEquals(1, bin.fetches(), "untracked refills are not the tuner's fetches");
        assertTrue(allocator.audit(new long[0]).isConsistent());
    }

    @Test
    void aPingPongThreadSettlesAtASmallBin() {
        ApfAllocator allocator = apf();
        for (int i = 0; i < 100_000; i++) {
            allocator.free(allocator.malloc(SIZE));
        }
        BinStats bin = myBin(allocator);
        assertTrue(bin.cachedBlocks() <= 4, bin.toString());
        // Each 256-allocation burst needs one fresh block; extrapolated to T = 1000 that is ~4, so 2d + 1 <= 9.
        assertTrue(bin.returnThreshold() <= 9, bin.toString());
        assertTrue(bin.blocksReturned() >= bin.blocksFetched() - 4, "the first fetch's surplus went back: " + bin);
    }

    @Test
    void aBurstThatIsFreedLeavesLessCachedThanLrmalloc() {
        AllocatorStats apf = heldAfterBurst(apf());
        AllocatorStats lrmalloc = heldAfterBurst(ApfAllocator.builder().tuningPolicy(TuningPolicy.LRMALLOC)
            .retainBytes(0).retainMillis(0).build());
        String figures = "APF " + apf + ", lrmalloc " + lrmalloc;
        assertTrue(apf.cachedBytes() <= lrmalloc.cachedBytes() / 2, figures);
        assertTrue(apf.mappedBytes() < lrmalloc.mappedBytes(), figures);
    }

    /** Allocates 20,000 blocks and frees them, three times; returns what the allocator holds then. */
    private static AllocatorStats heldAfterBurst(ApfAllocator allocator) {
        long[] blocks = new long[20_000];
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = allocator.malloc(SIZE);
            }
            for (long block : blocks) {
                allocator.free(block);
            }
        }
        assertTrue(allocator.audit(new long[0]).isConsistent());
        return allocator.stats();
    }

    @Test
    void aConsumerThatOnlyFreesKeepsItsBinBounded() throws InterruptedException {
        ApfAllocator allocator = apf();
        BlockingQueue<Long> handOff = new ArrayBlockingQueue<>(1024);
        int blocks = 200_000;
        Thread producer = Thread.ofPlatform().name("producer").start(() -> {
            for (int i = 0; i < blocks; i++) {
                putUninterruptibly(handOff, allocator.malloc(SIZE));
            }
        });
        int[] maxCached = new int[1];
        Thread consumer = Thread.ofPlatform().name("consumer").start(() -> {
            for (int i = 0; i < blocks; i++) {
                allocator.free(takeUninterruptibly(handOff));
                if (i % 1000 == 0) {
                    maxCached[0] = Math.max(maxCached[0], binOf(allocator, "consumer", SIZE).cachedBlocks());
                }
            }
        });
        producer.join();
        consumer.join();
        BinStats bin = binOf(allocator, "consumer", SIZE);
        assertTrue(maxCached[0] <= bin.capacity(), "bounded by the hard bound: " + maxCached[0]);
        assertTrue(maxCached[0] <= 2 * 1000 + 1, "bounded by the return rule 2d + 1 with d <= T: " + maxCached[0]);
        assertTrue(bin.blocksReturned() >= blocks - bin.capacity(), bin.toString());
    }

    private static void putUninterruptibly(BlockingQueue<Long> queue, long value) {
        while (true) {
            try {
                queue.put(value);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long takeUninterruptibly(BlockingQueue<Long> queue) {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
