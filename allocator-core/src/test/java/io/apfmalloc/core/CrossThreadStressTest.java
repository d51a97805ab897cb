package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.testing.HeapChecks;
import io.apfmalloc.core.testing.Mailboxes;
import io.apfmalloc.core.testing.PatternedBlock;
import io.apfmalloc.core.testing.Stress;
import io.apfmalloc.core.testing.TestSeeds;
import io.apfmalloc.core.testing.ThreadFailures;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Platform threads allocate blocks of random sizes (0 B … 2 MiB, mostly small) and alignments, fill them with a
 * pattern, realloc some and hand many to other threads, which check the pattern and free them: the blocks migrate
 * between thread caches as lrmalloc intends. Afterwards the heap must account for every block, and once everything
 * is freed and the threads have ended, {@link ApfAllocator#trim()} must give every byte back.
 */
@Stress
class CrossThreadStressTest {
    private static final int THREADS = 6;
    private static final int OPERATIONS_PER_THREAD = 40_000;
    /** Blocks a worker holds at most; bounds the live memory to about THREADS × 256 × the mean size. */
    private static final int MAX_HELD = 256;
    private static final long LIMIT = 1L << 30;
    private static final int MAX_ALIGNMENT_SHIFT = 21;

    @ParameterizedTest(name = "checked={0}")
    @ValueSource(booleans = {false, true})
    void blocksHandedBetweenThreadsStayIntactAndAreAllReturned(boolean checked) {
        long seed = TestSeeds.seed();
        TestSeeds.run(seed, () -> stress(checked, seed));
    }

    private static void stress(boolean checked, long seed) throws InterruptedException {
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(LIMIT).checked(checked).build();
        Mailboxes mailboxes = new Mailboxes(THREADS);
        CountDownLatch producersDone = new CountDownLatch(THREADS);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Worker worker = new Worker(allocator, i, seeds.split(), mailboxes, producersDone);
            workers.add(worker);
            threads.add(Thread.ofPlatform().name("stress-" + i).unstarted(() -> {
                try {
                    worker.run();
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        ThreadFailures.rethrowAll(failures, "worker thread(s)");

        assertTrue(mailboxes.allEmpty(), "a block was sent after its receiver drained its inbox");
        List<PatternedBlock> held = new ArrayList<>();
        long sent = 0;
        for (Worker worker : workers) {
            held.addAll(worker.held);
            sent += worker.sent;
        }
        assertTrue(sent > THREADS * 1000L, "too few blocks crossed threads to prove anything: " + sent);
        long[] live = held.stream().mapToLong(PatternedBlock::address).toArray();
        assertEquals(THREADS, allocator.stats().ownThreadCaches(),
            "each worker's cache stays registered until reclaimed");
        HeapAudit withDeadCaches = HeapChecks.assertConsistent(allocator, live);
        assertTrue(withDeadCaches.cachedBlocks() > 0, "the dead workers' caches should hold blocks: " + withDeadCaches);

        allocator.trim();
        assertEquals(0, allocator.stats().ownThreadCaches(), "trim() must forget the caches of ended threads");
        HeapAudit afterTrim = HeapChecks.assertConsistent(allocator, live);
        assertEquals(0, afterTrim.cachedBlocks(), "trim() must flush the caches of ended threads: " + afterTrim);

        for (PatternedBlock block : held) {
            block.verify();
            allocator.free(block.address());
        }
        HeapChecks.trimAndAssertEmpty(allocator);
        Reference.reachabilityFence(threads);
    }

    /** One thread's share of the work; its fields are read by the test thread after {@code join}. */
    private static final class Worker {
        private final ApfAllocator allocator;
        private final int index;
        private final SplittableRandom random;
        private final Mailboxes mailboxes;
        private final CountDownLatch producersDone;
        final List<PatternedBlock> held = new ArrayList<>();
        long sent;
        private long sequence;

        Worker(ApfAllocator allocator, int index, SplittableRandom random,
               Mailboxes mailboxes, CountDownLatch producersDone) {
            this.allocator = allocator;
            this.index = index;
            this.random = random;
            this.mailboxes = mailboxes;
            this.producersDone = producersDone;
        }

        void run() throws InterruptedException {
            try {
                for (int op = 0; op < OPERATIONS_PER_THREAD; op++) {
                    receive(4);
                    step();
                }
            } finally {
                producersDone.countDown();
            }
            producersDone.await();
            receive(Integer.MAX_VALUE);
        }

        private void step() {
            boolean allocate = held.isEmpty() || held.size() < MAX_HELD && random.nextInt(100) < 52;
            if (allocate) {
                held.add(allocate());
                return;
            }
            int pick = random.nextInt(held.size());
            PatternedBlock block = held.get(pick);
            held.set(pick, held.getLast());
            held.removeLast();
            int choice = random.nextInt(100);
            if (choice < 15) {
                held.add(realloc(block));
            } else if (choice < 60) {
                mailboxes.sendToAnother(index, random, block);
                sent++;
            } else {
                block.verify();
                allocator.free(block.address());
            }
        }

        private PatternedBlock allocate() {
            long size = randomSize(random);
            long address;
            if (random.nextInt(100) < 15) {
                long alignment = 1L << random.nextInt(MAX_ALIGNMENT_SHIFT + 1);
                address = allocator.alignedAlloc(alignment, size);
                assertNotEquals(0, address, () -> "alignedAlloc(" + alignment + ", " + size + ") failed");
                assertEquals(0, address & (alignment - 1),
                    () -> "alignedAlloc(" + alignment + ", " + size + ") returned 0x" + Long.toHexString(address));
            } else {
                address = allocator.malloc(size);
                assertNotEquals(0, address, () -> "malloc(" + size + ") failed");
            }
            return fill(address, size);
        }

        private PatternedBlock realloc(PatternedBlock block) {
            block.verify();
            long size = randomSize(random);
            long moved = allocator.realloc(block.address(), size);
            assertNotEquals(0, moved, () -> "realloc(" + size + ") failed");
            block.verifyCopy(moved, Math.min(block.usable(), size));
            return fill(moved, size);
        }

        private PatternedBlock fill(long address, long size) {
            return PatternedBlock.fill(allocator, address, size, ((long) index << 48) | sequence++);
        }

        /** Checks and frees up to {@code most} blocks other threads sent here. */
        private void receive(int most) {
            mailboxes.freeReceived(index, most, allocator);
        }
    }

    /** Sizes from 0 B to 2 MiB, most of them small, some past the largest class (1 MiB). */
    private static long randomSize(SplittableRandom random) {
        int bucket = random.nextInt(1000);
        if (bucket < 700) {
            return random.nextLong(257);
        } else if (bucket < 900) {
            return random.nextLong(257, 16 << 10);
        } else if (bucket < 980) {
            return random.nextLong(16 << 10, 256 << 10);
        } else if (bucket < 997) {
            return random.nextLong(256 << 10, (1 << 20) + 1);
        }
        return random.nextLong((1 << 20) + 1, (2 << 20) + 1);
    }
}
