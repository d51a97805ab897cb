package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.testing.HeapChecks;
import io.apfmalloc.core.testing.PatternedBlock;
import io.apfmalloc.core.testing.Stress;
import io.apfmalloc.core.testing.TestSeeds;
import io.apfmalloc.core.testing.ThreadFailures;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Threads come and go by the thousand, each allocating, freeing its own blocks and blocks other threads left behind,
 * and ending with a full cache: ended platform threads' caches must be reclaimed (never more than
 * {@code maxThreadCaches} of them at once), virtual threads must never get caches of their own, and at the end every
 * cache's blocks are back, the invariant checker passes and a trim returns every byte.
 */
@Stress
class ThreadChurnTest {
    private static final long LIMIT = 1L << 30;
    private static final int PLATFORM_THREADS = 4_000;
    /** Platform threads alive at once: a few per core, so they overlap and hand blocks to each other. */
    private static final int PLATFORM_WAVE = 8;
    private static final int VIRTUAL_THREADS = 100_000;
    private static final int MAX_THREAD_CACHES = 16;

    @Test
    void thousandsOfShortLivedPlatformThreadsLeaveNothingBehind() {
        long seed = TestSeeds.seed();
        TestSeeds.run(seed, () -> platformChurn(seed));
    }

    private static void platformChurn(long seed) throws InterruptedException {
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(LIMIT).checked(true)
            .maxThreadCaches(MAX_THREAD_CACHES).build();
        Exchange exchange = new Exchange(allocator);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        SplittableRandom seeds = new SplittableRandom(seed);
        AtomicInteger mostCaches = new AtomicInteger();
        List<Thread> ended = new ArrayList<>(PLATFORM_THREADS);
        for (int started = 0; started < PLATFORM_THREADS; started += PLATFORM_WAVE) {
            List<Thread> wave = new ArrayList<>(PLATFORM_WAVE);
            for (int i = 0; i < PLATFORM_WAVE; i++) {
                SplittableRandom random = seeds.split();
                wave.add(Thread.ofPlatform().name("churn-" + (started + i)).start(() -> {
                    try {
                        exchange.work(random, 40);
                        mostCaches.accumulateAndGet(allocator.stats().ownThreadCaches(), Math::max);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread thread : wave) {
                thread.join();
            }
            ended.addAll(wave);
        }
        ThreadFailures.rethrowAll(failures, "platform thread(s)");
        assertTrue(mostCaches.get() <= MAX_THREAD_CACHES, () -> "caches of ended threads were not reclaimed: "
            + mostCaches + " at once");
        exchange.assertBlocksCrossedThreads();
        exchange.freeTheRest();
        HeapChecks.trimAndAssertEmpty(allocator);
        Reference.reachabilityFence(ended);
    }

    @Test
    void aHundredThousandVirtualThreadsShareTheStripes() {
        long seed = TestSeeds.seed();
        TestSeeds.run(seed, () -> virtualChurn(seed));
    }

    private static void virtualChurn(long seed) throws InterruptedException {
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(LIMIT).checked(true).build();
        Exchange exchange = new Exchange(allocator);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        SplittableRandom seeds = new SplittableRandom(seed);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < VIRTUAL_THREADS; i++) {
                SplittableRandom random = seeds.split();
                executor.execute(() -> {
                    try {
                        exchange.work(random, 6);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                });
            }
        }
        ThreadFailures.rethrowAll(failures, "virtual thread(s)");
        assertEquals(0, allocator.stats().ownThreadCaches(), "virtual threads must not get caches of their own");
        exchange.assertBlocksCrossedThreads();
        exchange.freeTheRest();
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    /**
     * What the threads share: a pool of blocks left behind by threads that ended, taken and freed by later ones.
     * Each block carries a pattern checked before its free, so a block handed out twice shows.
     */
    private static final class Exchange {
        /** Blocks left behind at most; past it a thread frees what it would have left. */
        private static final int MAX_LEFT = 4_096;

        private final ApfAllocator allocator;
        private final ConcurrentLinkedQueue<PatternedBlock> left = new ConcurrentLinkedQueue<>();
        private final AtomicInteger leftCount = new AtomicInteger();
        private final AtomicLong crossed = new AtomicLong();
        private final AtomicLong sequence = new AtomicLong();

        Exchange(ApfAllocator allocator) {
            this.allocator = allocator;
        }

        /** One thread's life: allocate {@code blocks} blocks, free some, free some left by others, leave some. */
        void work(SplittableRandom random, int blocks) {
            List<PatternedBlock> mine = new ArrayList<>(blocks);
            for (int i = 0; i < blocks; i++) {
                long size = random.nextInt(8) == 0 ? random.nextLong(4_096, 300_000) : random.nextLong(0, 2_048);
                long address = allocator.malloc(size);
                assertNotEquals(0, address, () -> "malloc(" + size + ") failed");
                mine.add(PatternedBlock.fill(allocator, address, size, sequence.incrementAndGet()));
            }
            for (int i = 0; i < blocks / 2; i++) {
                PatternedBlock other = left.poll();
                if (other == null) {
                    break;
                }
                leftCount.decrementAndGet();
                free(other);
                crossed.incrementAndGet();
            }
            for (PatternedBlock block : mine) {
                if (!random.nextBoolean() || !leave(block)) {
                    free(block);
                }
            }
        }

        private boolean leave(PatternedBlock block) {
            if (leftCount.incrementAndGet() <= MAX_LEFT) {
                left.add(block);
                return true;
            }
            leftCount.decrementAndGet();
            return false;
        }

        private void free(PatternedBlock block) {
            block.verify();
            allocator.free(block.address());
        }

        void assertBlocksCrossedThreads() {
            assertTrue(crossed.get() > 1_000, () -> "too few blocks were freed by another thread: " + crossed);
        }

        /** Frees what the last threads left; on the test thread, after every worker ended. */
        void freeTheRest() {
            for (PatternedBlock block = left.poll(); block != null; block = left.poll()) {
                free(block);
            }
        }
    }
}
