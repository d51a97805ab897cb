package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.testing.HeapChecks;
import io.apfmalloc.core.testing.PatternedBlock;
import io.apfmalloc.core.testing.Stress;
import io.apfmalloc.core.testing.TestSeeds;
import io.apfmalloc.core.testing.ThreadFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand virtual threads malloc and free a few hundred blocks each, passing some to one another. They must
 * share the striped caches rather than get a cache each (DESIGN §2.5: thousands of caches would hoard memory), and
 * the heap must account for every block and give everything back at the end.
 */
@Stress
class VirtualThreadStressTest {
    private static final int THREADS = 10_000;
    private static final int OPERATIONS_PER_THREAD = 300;
    private static final int MAX_HELD = 16;
    private static final long LIMIT = 1L << 30;

    @Test
    void tenThousandVirtualThreadsShareTheStripedCaches() {
        long seed = TestSeeds.seed();
        TestSeeds.run(seed, () -> stress(seed));
    }

    private static void stress(long seed) throws InterruptedException {
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(LIMIT).checked(true).build();
        int cachesBefore = allocator.stats().ownThreadCaches();
        ConcurrentLinkedQueue<PatternedBlock> exchange = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong crossed = new AtomicLong();
        CountDownLatch allWorked = new CountDownLatch(THREADS);
        CountDownLatch release = new CountDownLatch(1);
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Thread> threads = new ArrayList<>(THREADS);
        for (int i = 0; i < THREADS; i++) {
            SplittableRandom random = seeds.split();
            int index = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    work(allocator, index, random, exchange, crossed);
                } catch (Throwable t) {
                    failures.add(t);
                } finally {
                    allWorked.countDown();
                }
                awaitUninterruptibly(release);
            }));
        }
        allWorked.await();
        try {
            assertEquals(cachesBefore, allocator.stats().ownThreadCaches(),
                "with all " + THREADS + " virtual threads alive, none may have a cache of its own");
            ThreadFailures.rethrowAll(failures, "virtual thread(s)");
            long[] live = exchange.stream().mapToLong(PatternedBlock::address).toArray();
            HeapChecks.assertConsistent(allocator, live);
        } finally {
            release.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
        }
        assertTrue(crossed.get() > THREADS, "too few blocks crossed threads to prove anything: " + crossed);

        for (PatternedBlock block = exchange.poll(); block != null; block = exchange.poll()) {
            block.verify();
            allocator.free(block.address());
        }
        HeapChecks.trimAndAssertEmpty(allocator);
        assertTrue(allocator.stats().ownThreadCaches() <= cachesBefore + 1,
            "only the test thread may have made a cache: " + allocator.stats());
    }

    private static void work(ApfAllocator allocator, int index, SplittableRandom random,
                             ConcurrentLinkedQueue<PatternedBlock> exchange, AtomicLong crossed) {
        List<PatternedBlock> held = new ArrayList<>(MAX_HELD);
        for (int op = 0; op < OPERATIONS_PER_THREAD; op++) {
            if (random.nextInt(4) == 0) {
                PatternedBlock foreign = exchange.poll();
                if (foreign != null) {
                    foreign.verify();
                    allocator.free(foreign.address());
                    crossed.incrementAndGet();
                }
            }
            if (held.isEmpty() || held.size() < MAX_HELD && random.nextBoolean()) {
                long size = random.nextInt(10) == 0 ? random.nextLong(1025, 32 << 10) : random.nextLong(1025);
                long address = allocator.malloc(size);
                assertNotEquals(0, address, () -> "malloc(" + size + ")");
                held.add(PatternedBlock.fill(allocator, address, size, ((long) index << 32) | op));
            } else {
                PatternedBlock block = held.removeLast();
                if (random.nextInt(4) == 0) {
                    exchange.add(block);
                } else {
                    block.verify();
                    allocator.free(block.address());
                }
            }
        }
        for (PatternedBlock block : held) {
            block.verify();
            allocator.free(block.address());
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
