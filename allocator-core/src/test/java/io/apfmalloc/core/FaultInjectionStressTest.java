package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.testing.ControlledFaults;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link FaultInjectionTest}'s refusals at random and under load: worker threads allocate, realloc, free and hand
 * blocks to each other while the OS refuses about a third of the mappings. A refused call must return 0 and change
 * nothing, the heap must account for every block afterwards, and once the faults stop it works again and gives every
 * byte back.
 */
@Stress
class FaultInjectionStressTest {
    private static final long MIB = 1L << 20;
    private static final long LIMIT = 512 * MIB;

    @Test
    void randomRefusalsUnderCrossThreadLoadLoseNothing() {
        long seed = TestSeeds.seed();
        TestSeeds.run(seed, () -> randomRefusals(seed));
    }

    private static void randomRefusals(long seed) throws InterruptedException {
        int threads = 4;
        ControlledFaults faults = new ControlledFaults(seed);
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(LIMIT).maxBinBytes(128 << 10).retainBytes(0)
            .retainMillis(0).faultInjector(faults).build();
        faults.refuseWithProbability(0.3);
        Mailboxes mailboxes = new Mailboxes(threads);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<PatternedBlock> held = new ConcurrentLinkedQueue<>();
        AtomicLong refusedCalls = new AtomicLong();
        AtomicLong grantedCalls = new AtomicLong();
        CountDownLatch done = new CountDownLatch(threads);
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            FaultyWorker worker = new FaultyWorker(allocator, t, seeds.split(), mailboxes, refusedCalls, grantedCalls);
            workers.add(Thread.ofPlatform().name("faulty-" + t).start(() -> {
                try {
                    worker.run(done);
                    held.addAll(worker.held);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        ThreadFailures.rethrowAll(failures, "worker thread(s)");
        assertTrue(refusedCalls.get() > 100, () -> "too few refusals reached the API: " + refusedCalls);
        assertTrue(grantedCalls.get() > refusedCalls.get(), () -> "too few allocations succeeded: " + grantedCalls);
        HeapChecks.assertConsistent(allocator, held.stream().mapToLong(PatternedBlock::address).toArray());
        System.out.printf("random refusals: %d of %d mappings refused; %d calls returned 0, %d succeeded%n",
            faults.refused(), faults.asked(), refusedCalls.get(), grantedCalls.get());

        faults.stop();
        for (PatternedBlock block : held) {
            block.verify();
            allocator.free(block.address());
        }
        for (int i = 0; i < 1_000; i++) {
            long size = 1L << (i % 22);
            long address = allocator.malloc(size);
            assertNotEquals(0, address, () -> "malloc(" + size + ") failed with the faults over");
            allocator.free(address);
        }
        HeapChecks.trimAndAssertEmpty(allocator);
        Reference.reachabilityFence(workers);
    }

    /**
     * Allocates, reallocs and frees blocks of every kind while mappings are refused at random, handing many blocks to
     * other workers. A refused call must return 0 and change nothing; a granted one must give an intact block.
     */
    private static final class FaultyWorker {
        private static final int OPERATIONS = 8_000;
        private static final int MAX_HELD = 64;

        private final ApfAllocator allocator;
        private final int index;
        private final SplittableRandom random;
        private final Mailboxes mailboxes;
        private final AtomicLong refusedCalls;
        private final AtomicLong grantedCalls;
        final List<PatternedBlock> held = new ArrayList<>();
        private long sequence;

        FaultyWorker(ApfAllocator allocator, int index, SplittableRandom random,
                     Mailboxes mailboxes, AtomicLong refusedCalls,
                     AtomicLong grantedCalls) {
            this.allocator = allocator;
            this.index = index;
            this.random = random;
            this.mailboxes = mailboxes;
            this.refusedCalls = refusedCalls;
            this.grantedCalls = grantedCalls;
        }

        void run(CountDownLatch done) throws InterruptedException {
            try {
                for (int op = 0; op < OPERATIONS; op++) {
                    freeReceived(2);
                    step();
                }
            } finally {
                done.countDown();
            }
            done.await();
            freeReceived(Integer.MAX_VALUE);
            allocator.flushThreadCache();
        }

        private void step() {
            int choice = random.nextInt(100);
            if (held.isEmpty() || held.size() < MAX_HELD && choice < 50) {
                long size = randomSize();
                long address = random.nextBoolean() ? allocator.malloc(size)
                    : allocator.alignedAlloc(1L << random.nextInt(22), size);
                if (granted(address)) {
                    held.add(PatternedBlock.fill(allocator, address, size, (long) index << 48 | sequence++));
                }
                return;
            }
            PatternedBlock block = held.remove(random.nextInt(held.size()));
            block.verify();
            if (choice < 70) {
                long size = randomSize();
                long moved = allocator.realloc(block.address(), size);
                if (granted(moved)) {
                    block.verifyCopy(moved, Math.min(block.usable(), size));
                    held.add(PatternedBlock.fill(allocator, moved, size, (long) index << 48 | sequence++));
                } else {
                    block.verify();
                    held.add(block);
                }
            } else if (choice < 85) {
                mailboxes.sendToAnother(index, random, block);
            } else {
                allocator.free(block.address());
            }
        }

        private boolean granted(long address) {
            (address == 0 ? refusedCalls : grantedCalls).incrementAndGet();
            return address != 0;
        }

        private void freeReceived(int most) {
            mailboxes.freeReceived(index, most, allocator);
        }

        /** Sizes over every class and past it, each class often empty: small bins make fills frequent. */
        private long randomSize() {
            int bucket = random.nextInt(100);
            if (bucket < 50) {
                return random.nextLong(1, 1024);
            } else if (bucket < 90) {
                return random.nextLong(1024, 256 << 10);
            }
            return random.nextLong(256 << 10, 3 * MIB);
        }
    }
}
