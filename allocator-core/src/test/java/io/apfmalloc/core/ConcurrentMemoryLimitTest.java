package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.testing.HeapChecks;
import io.apfmalloc.core.testing.Stress;
import io.apfmalloc.core.testing.TestSeeds;
import io.apfmalloc.core.testing.ThreadFailures;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Threads racing for memory never take the allocator past its limit together (DESIGN §2.4: the limit is reserved
 * before shared state is touched): {@code mappedBytes}, sampled all along, never exceeds it, and what the threads got
 * never adds up to more than it. Nor is the limit overly cautious: when every thread has been refused, less than one
 * more allocation would have fitted.
 */
@Stress
class ConcurrentMemoryLimitTest {
    private static final int THREADS = 4;
    private static final long MIB = 1L << 20;
    private static final long LIMIT = 64 * MIB;
    /**
     * Allocations a churning thread holds at most: four threads holding ten each (a third of them 1 … 6 MiB) ask for
     * about the 48 MiB limit, so they keep running into it while memory keeps circulating.
     */
    private static final int MAX_HELD_PER_THREAD = 10;
    /**
     * Bin budget for the churn: small, because blocks freed into a live thread's bins keep their superblocks mapped
     * and count against the limit; with the default 1 MiB per class, four threads' caches alone could hold it all.
     */
    private static final long CHURN_BIN_BYTES = 64 << 10;

    @Test
    void threadsFillingTheLimitTogetherNeverPassIt() throws Exception {
        int rounds = 40;
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(LIMIT).build();
        AtomicLong maxSampled = new AtomicLong();
        AtomicLong granted = new AtomicLong();
        long[] sizes = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            sizes[round] = (2 + round % 5) * MIB + round * 4096L;
        }
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        int[] round = {0};
        Runnable checkFilled = () -> {
            try {
                long size = sizes[round[0]];
                long got = granted.get() * size;
                AllocatorStats stats = allocator.stats();
                assertTrue(got <= LIMIT, "round " + round[0] + ": " + granted + " × " + size + " B > limit");
                assertTrue(got > LIMIT - size, "round " + round[0] + ": every thread was refused with only "
                    + granted + " × " + size + " B granted");
                assertEquals(got, stats.mappedBytes(), "only the large allocations are mapped: " + stats);
            } catch (Throwable t) {
                failures.add(t);
            }
        };
        Runnable nextRound = () -> {
            granted.set(0);
            round[0]++;
        };
        CyclicBarrier filled = new CyclicBarrier(THREADS, checkFilled);
        CyclicBarrier emptied = new CyclicBarrier(THREADS, nextRound);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    List<Long> held = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        long size = sizes[r];
                        for (long address = allocator.malloc(size); address != 0; address = allocator.malloc(size)) {
                            held.add(address);
                            granted.incrementAndGet();
                            maxSampled.accumulateAndGet(allocator.stats().mappedBytes(), Math::max);
                        }
                        filled.await();
                        held.forEach(allocator::free);
                        held.clear();
                        emptied.await();
                    }
                } catch (Throwable t) {
                    failures.add(t);
                    filled.reset();
                    emptied.reset();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        ThreadFailures.rethrowAll(failures, "thread(s)");
        assertTrue(maxSampled.get() <= LIMIT, "mappedBytes reached " + maxSampled + " > " + LIMIT);
        HeapChecks.trimAndAssertEmpty(allocator);
        Reference.reachabilityFence(threads);
    }

    @Test
    void mixedChurnStaysUnderTheLimit() throws Exception {
        long seed = TestSeeds.seed();
        TestSeeds.run(seed, () -> churn(seed));
    }

    /**
     * Threads allocate small blocks and large allocations at random, freeing at random, while a sampler reads
     * {@code mappedBytes}. Each thread counts the bytes it was granted; their sum can only lag what is mapped.
     */
    private static void churn(long seed) throws InterruptedException {
        long limit = 48 * MIB;
        int operations = 20_000;
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(limit).maxBinBytes(CHURN_BIN_BYTES).build();
        AtomicLong grantedLargeBytes = new AtomicLong();
        AtomicLong maxSampled = new AtomicLong();
        AtomicLong maxGranted = new AtomicLong();
        AtomicLong refusals = new AtomicLong();
        AtomicLong grantedLarge = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Thread sampler = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                maxSampled.accumulateAndGet(allocator.stats().mappedBytes(), Math::max);
                Thread.onSpinWait();
            }
        });
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            SplittableRandom random = seeds.split();
            threads.add(Thread.ofPlatform().start(() -> {
                List<long[]> held = new ArrayList<>();
                try {
                    for (int op = 0; op < operations; op++) {
                        if (held.size() >= MAX_HELD_PER_THREAD || !held.isEmpty() && random.nextInt(100) < 45) {
                            long[] block = held.remove(random.nextInt(held.size()));
                            grantedLargeBytes.addAndGet(-block[1]);
                            allocator.free(block[0]);
                            continue;
                        }
                        boolean large = random.nextInt(3) == 0;
                        long size = large ? random.nextLong(MIB + 1, 6 * MIB) : random.nextLong(1, 200_000);
                        long address = allocator.malloc(size);
                        if (address == 0) {
                            refusals.incrementAndGet();
                            continue;
                        }
                        long mapped = 0;
                        if (large) {
                            mapped = allocator.usableSize(address);
                            grantedLarge.incrementAndGet();
                        }
                        maxGranted.accumulateAndGet(grantedLargeBytes.addAndGet(mapped), Math::max);
                        held.add(new long[] {address, mapped});
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    for (long[] block : held) {
                        grantedLargeBytes.addAndGet(-block[1]);
                        allocator.free(block[0]);
                    }
                    allocator.flushThreadCache();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        running.set(false);
        sampler.join();
        ThreadFailures.rethrowAll(failures, "thread(s)");
        assertTrue(refusals.get() > 0, "the churn should have hit the limit at least once");
        assertTrue(grantedLarge.get() > operations / 5, "too few large allocations succeeded: " + grantedLarge);
        assertTrue(maxSampled.get() <= limit, "mappedBytes reached " + maxSampled + " > " + limit);
        assertTrue(maxGranted.get() <= limit, "large allocations granted at once: " + maxGranted + " > " + limit);
        HeapChecks.trimAndAssertEmpty(allocator);
        Reference.reachabilityFence(threads);
    }
}
