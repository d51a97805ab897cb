package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.testing.HeapChecks;
import java.lang.ref.Reference;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What happens to a platform thread's own cache over the thread's life: it keeps freed blocks while the thread
 * runs, {@link ApfAllocator#flushThreadCache()} empties it from the owner, {@link ApfAllocator#trim()} leaves a live
 * owner's cache alone but takes back the cache of a thread that ended, and threads past
 * {@code maxThreadCaches} get no cache of their own.
 */
class ThreadLifecycleTest {
    private static final long LIMIT = 256L << 20;
    private static final int BLOCKS = 2000;

    /** Mallocs and frees blocks of a few classes, so that the caller's cache ends up holding them. */
    private static void churn(ApfAllocator allocator) {
        long[] blocks = new long[BLOCKS];
        for (long size : new long[] {100, 3000, 40_000}) {
            int count = (int) Math.min(BLOCKS, (512 << 10) / size);
            for (int i = 0; i < count; i++) {
                blocks[i] = allocator.malloc(size);
                assertNotEquals(0, blocks[i], "malloc(" + size + ")");
            }
            for (int i = 0; i < count; i++) {
                allocator.free(blocks[i]);
            }
        }
    }

    @Test
    void trimTakesBackTheCacheOfAThreadThatEnded() throws Exception {
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(LIMIT).checked(true).build();
        long[] handedOver = new long[500];
        for (int i = 0; i < handedOver.length; i++) {
            handedOver[i] = allocator.malloc(48);
        }
        allocator.flushThreadCache();
        Thread thread = runOnPlatformThread(() -> {
            churn(allocator);
            for (long block : handedOver) {
                allocator.free(block);
            }
        });
        AllocatorStats beforeTrim = allocator.stats();
        assertEquals(2, beforeTrim.ownThreadCaches(), "the test thread's and the ended thread's: " + beforeTrim);
        assertTrue(beforeTrim.cachedBytes() >= handedOver.length * 48L,
            "the ended thread's cache should still hold what it freed: " + beforeTrim);
        assertTrue(beforeTrim.liveSuperblocks() > 0, beforeTrim::toString);
        HeapAudit audit = HeapChecks.assertConsistent(allocator, new long[0]);
        assertTrue(audit.cachedBlocks() >= handedOver.length, audit::toString);

        HeapChecks.trimAndAssertEmpty(allocator);
        assertEquals(1, allocator.stats().ownThreadCaches(), "only the test thread's cache should be left");
        Reference.reachabilityFence(thread);
    }

    @Test
    void flushThreadCacheEmptiesALiveThreadsCacheAndTrimLeavesItAlone() throws Exception {
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(LIMIT).checked(true).build();
        CountDownLatch churned = new CountDownLatch(1);
        CountDownLatch trimmed = new CountDownLatch(1);
        CountDownLatch flushed = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        Worker worker = startPlatformThread(() -> {
            churn(allocator);
            churned.countDown();
            trimmed.await();
            allocator.flushThreadCache();
            flushed.countDown();
            checked.await();
        }, churned, flushed);
        try {
            churned.await();
            AllocatorStats beforeTrim = allocator.stats();
            assertTrue(beforeTrim.cachedBytes() > 0, () -> "the live thread's cache holds blocks: " + beforeTrim);
            allocator.trim();
            AllocatorStats afterTrim = allocator.stats();
            assertEquals(beforeTrim.cachedBytes(), afterTrim.cachedBytes(),
                "trim() must not touch a live thread's own cache");
            assertEquals(beforeTrim.mappedBytes() - beforeTrim.retainedBytes(), afterTrim.mappedBytes(),
                "trim() releases only the wholly free superblocks kept for reuse");
            HeapChecks.assertConsistent(allocator, new long[0]);
            trimmed.countDown();

            flushed.await();
            AllocatorStats afterFlush = allocator.stats();
            assertEquals(1, afterFlush.ownThreadCaches(), "the live thread keeps its (empty) cache");
            assertEquals(0, afterFlush.cachedBytes(), () -> "after flushThreadCache(): " + afterFlush);
            assertEquals(afterFlush.retainedBytes(), afterFlush.mappedBytes(),
                () -> "after flushThreadCache() every mapped superblock is wholly free, kept for reuse: " + afterFlush);
            allocator.trim();
            assertEquals(0, allocator.stats().mappedBytes(), "trim() releases them");
            HeapChecks.assertConsistent(allocator, new long[0]);
        } finally {
            trimmed.countDown();
            checked.countDown();
            worker.join();
        }
        HeapChecks.trimAndAssertEmpty(allocator);
        assertEquals(0, allocator.stats().ownThreadCaches(), "the ended thread's cache is forgotten");
        Reference.reachabilityFence(worker);
    }

    @Test
    void aThreadThatEndedIsReclaimedWhenAnotherThreadGetsItsCache() throws Exception {
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(LIMIT).build();
        Thread first = runOnPlatformThread(() -> churn(allocator));
        assertEquals(1, allocator.stats().ownThreadCaches());
        assertTrue(allocator.stats().cachedBytes() > 0);
        Thread second = runOnPlatformThread(() -> {
            long block = allocator.malloc(8);
            AllocatorStats stats = allocator.stats();
            assertEquals(1, stats.ownThreadCaches(), () -> "the ended thread's cache should be gone: " + stats);
            allocator.free(block);
            allocator.flushThreadCache();
        });
        HeapChecks.trimAndAssertEmpty(allocator);
        assertEquals(0, allocator.stats().ownThreadCaches());
        Reference.reachabilityFence(first);
        Reference.reachabilityFence(second);
    }

    @Test
    void threadsPastTheLimitShareTheStripes() throws Exception {
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(LIMIT).maxThreadCaches(1).build();
        CountDownLatch firstHasCache = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        Worker first = startPlatformThread(() -> {
            allocator.free(allocator.malloc(64));
            firstHasCache.countDown();
            secondDone.await();
            allocator.flushThreadCache();
        }, firstHasCache);
        try {
            firstHasCache.await();
            runOnPlatformThread(() -> {
                churn(allocator);
                allocator.flushThreadCache();
                AllocatorStats stats = allocator.stats();
                assertEquals(1, stats.ownThreadCaches(), () -> "the limit is one own cache: " + stats);
                assertTrue(stats.cachedBytes() > 0,
                    () -> "the second thread's frees should sit in the shared stripes: " + stats);
            });
        } finally {
            secondDone.countDown();
            first.join();
        }
        HeapChecks.trimAndAssertEmpty(allocator);
        Reference.reachabilityFence(first);
    }

    /**
     * Two live threads whose ids share a slot of the allocator's lookup by thread id (ids 1,024 apart) take turns to
     * malloc and free: each overwrites the other's slot, and each must still use its own cache, never the other's.
     */
    @Test
    void threadsSharingALookupSlotEachUseTheirOwnCache() throws Exception {
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(LIMIT).checked(true).build();
        int rounds = 50;
        int perTurn = 100;
        CyclicBarrier turns = new CyclicBarrier(2);
        Runnable turnTaking = () -> {
            try {
                boolean first = Thread.currentThread().getName().equals("slot-first");
                for (int round = 0; round < rounds; round++) {
                    for (int turn = 0; turn < 2; turn++) {
                        if (first == (turn == 0)) {
                            for (int i = 0; i < perTurn; i++) {
                                allocator.free(allocator.malloc(48));
                            }
                        }
                        turns.await();
                    }
                }
            } catch (InterruptedException | BrokenBarrierException e) {
                throw new IllegalStateException(e);
            }
        };
        Thread first = Thread.ofPlatform().name("slot-first").unstarted(turnTaking);
        Thread second;
        do {
            second = Thread.ofPlatform().name("slot-second").unstarted(turnTaking);
        } while ((second.threadId() - first.threadId()) % 1024 != 0);
        first.start();
        second.start();
        first.join();
        second.join();

        for (String owner : List.of("slot-first", "slot-second")) {
            long allocations = allocator.cacheStats().stream().filter(cache -> cache.owner().equals(owner))
                .flatMap(cache -> cache.bins().stream()).mapToLong(BinStats::allocations).sum();
            assertEquals((long) rounds * perTurn, allocations, owner + " allocated through its own cache only");
        }
        HeapChecks.trimAndAssertEmpty(allocator);
        Reference.reachabilityFence(List.of(first, second));
    }

    /** Runs {@code body} on a new platform thread, joins it, and rethrows what it threw. Returns the ended thread. */
    private static Thread runOnPlatformThread(Executable body) throws Exception {
        Worker worker = startPlatformThread(body);
        worker.join();
        return worker.thread();
    }

    /**
     * Starts {@code body} on a new platform thread. If it fails, {@code unblock} are counted down so that the test
     * thread does not wait for a step that will never come, and {@link Worker#join} rethrows the failure.
     */
    private static Worker startPlatformThread(Executable body, CountDownLatch... unblock) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                body.execute();
            } catch (Throwable t) {
                failure.set(t);
                for (CountDownLatch latch : unblock) {
                    latch.countDown();
                }
            }
        });
        return new Worker(thread, failure);
    }

    /** A started platform thread and what it threw. */
    private record Worker(Thread thread, AtomicReference<Throwable> failure) {
        /** Joins the thread and rethrows its failure, if any. */
        void join() throws InterruptedException {
            thread.join();
            if (failure.get() != null) {
                throw new AssertionError("the platform thread failed", failure.get());
            }
        }
    }
}
