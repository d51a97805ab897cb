package io.apfmalloc.core.internal.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.internal.os.MemoryLimit;
import io.apfmalloc.core.internal.os.RawMemory;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.superblock.Descriptor;
import io.apfmalloc.core.testing.Stress;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Heap#fill} and {@link Heap#flush} on real threads over real {@code mmap}'d memory ({@link CheckedOsMemory}):
 * the off-heap counterpart of the model-checked tests, where the JIT, the memory model and real preemption are in
 * play. More threads than cores fill and flush blocks of two classes (4 and 256 blocks per superblock), return
 * random subsets in random order, and pass blocks to each other through mailboxes.
 *
 * <p>Checks: no block handed out twice (the descriptors' checked-mode bits); a user's writes, over the whole block
 * including the link bytes, survive until it returns the block (no one else got it); the memory checks of
 * {@link CheckedOsMemory}; and once every block is back, every superblock unmapped and nothing reserved. Operation
 * choices are seeded ({@code -Dapfmalloc.stress.seed}); the seed is in the failure message.
 */
@Stress
class HeapStressTest {
    private static final long SEED = Long.getLong("apfmalloc.stress.seed", 0x5EEDL);
    /** Two of the largest superblocks the test's classes use. */
    private static final long RETAINED_BYTES = 2L * SizeClasses.superblockSize(SizeClasses.COUNT - 1);
    private static final int ROUNDS = 6;
    private static final int THREADS = 4;
    private static final int OPERATIONS = 20_000;
    private static final int[] CLASSES = {SizeClasses.classOf(256), SizeClasses.classOf(16 * 1024)};
    private static final int MAILBOXES = 8;
    private static final int BIN_CAPACITY = 1024;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fillAndFlushOnManyThreads() throws Exception {
        for (int sizeClass : CLASSES) {
            assertEquals(SizeClasses.SUPERBLOCK_ALIGNMENT, SizeClasses.superblockSize(sizeClass));
            assertTrue(SizeClasses.blocksPerSuperblock(sizeClass) <= BIN_CAPACITY / 2);
        }
        for (int round = 0; round < ROUNDS; round++) {
            long seed = SEED + round;
            try {
                runRound(seed);
            } catch (Throwable t) {
                throw new AssertionError("stress round failed with -Dapfmalloc.stress.seed=" + seed, t);
            }
        }
    }

    private static void runRound(long seed) throws Exception {
        CheckedOsMemory memory = new CheckedOsMemory();
        // Room to keep a couple of wholly free superblocks mapped, so retention races the fills and flushes too.
        Heap heap = new Heap(memory, new MemoryLimit(1L << 30), memory, true, RETAINED_BYTES);
        AtomicLongArray mailboxes = new AtomicLongArray(MAILBOXES);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        Worker[] workers = new Worker[THREADS];
        Thread[] threads = new Thread[THREADS];
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int t = 0; t < THREADS; t++) {
            Worker worker = new Worker(t, heap, memory, mailboxes, seeds.split());
            workers[t] = worker;
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                    worker.run();
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "heap-stress-" + t);
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError(failures.size() + " worker(s) failed");
            failures.forEach(error::addSuppressed);
            throw error;
        }
        for (Worker worker : workers) {
            worker.returnEverything();
        }
        for (int slot = 0; slot < MAILBOXES; slot++) {
            long block = mailboxes.getAndSet(slot, 0);
            if (block != 0) {
                workers[0].returnBlock(block);
            }
        }
        assertTrue(heap.retainedBytes() <= RETAINED_BYTES, "retention over budget: " + heap.retainedBytes());
        heap.releaseRetainedSuperblocks();
        assertEquals(0, heap.retainedBytes());
        assertEquals(0, memory.superblocksMapped(), "superblocks still mapped after every block came back");
        assertEquals(0, heap.liveSuperblocks());
        assertEquals(0, heap.limit().reserved());
        assertTrue(memory.unmaps() > 0, "no superblock was ever emptied: the round tested too little");
    }

    /** One thread's random walk: its own bins, one per class, and the shared mailboxes. */
    private static final class Worker {
        private final int id;
        private final Heap heap;
        private final CheckedOsMemory memory;
        private final AtomicLongArray mailboxes;
        private final SplittableRandom random;
        private final long[][] bins = new long[CLASSES.length][BIN_CAPACITY];
        private final int[] counts = new int[CLASSES.length];
        private final long[] returning = new long[BIN_CAPACITY];
        private long stamps;

        Worker(int id, Heap heap, CheckedOsMemory memory, AtomicLongArray mailboxes, SplittableRandom random) {
            this.id = id;
            this.heap = heap;
            this.memory = memory;
            this.mailboxes = mailboxes;
            this.random = random;
        }

        void run() {
            for (int i = 0; i < OPERATIONS; i++) {
                int c = random.nextInt(CLASSES.length);
                switch (random.nextInt(8)) {
                    case 0, 1, 2 -> fill(c);
                    case 3, 4 -> returnSome(c);
                    case 5 -> give(c);
                    case 6 -> take();
                    default -> returnSome(c, counts[c]);
                }
            }
        }

        private void fill(int c) {
            int sizeClass = CLASSES[c];
            int blocks = SizeClasses.blocksPerSuperblock(sizeClass);
            if (counts[c] + blocks > BIN_CAPACITY) {
                returnSome(c, counts[c] / 2);
                return;
            }
            int got = heap.fill(sizeClass, 1 + random.nextInt(blocks), bins[c], counts[c]);
            assertTrue(got > 0, "fill refused under a 1 GiB limit");
            for (int i = counts[c]; i < counts[c] + got; i++) {
                received(bins[c][i], sizeClass, true);
            }
            counts[c] += got;
        }

        private void returnSome(int c) {
            returnSome(c, counts[c] == 0 ? 0 : 1 + random.nextInt(Math.min(counts[c], 64)));
        }

        /** Returns {@code n} blocks picked at random from bin {@code c}, in one flush, in random order. */
        private void returnSome(int c, int n) {
            long[] bin = bins[c];
            for (int i = 0; i < n; i++) {
                int pick = random.nextInt(counts[c]);
                returning[i] = bin[pick];
                bin[pick] = bin[--counts[c]];
                released(returning[i], CLASSES[c]);
            }
            heap.flush(returning, 0, n);
        }

        private void give(int c) {
            if (counts[c] > 0) {
                int slot = random.nextInt(MAILBOXES);
                if (mailboxes.compareAndSet(slot, 0, bins[c][counts[c] - 1])) {
                    counts[c]--;
                }
            }
        }

        /** Takes a block another thread gave; it joins this thread's bin of its class. */
        private void take() {
            long block = mailboxes.getAndSet(random.nextInt(MAILBOXES), 0);
            if (block != 0) {
                int c = classIndexOf(block);
                if (counts[c] == BIN_CAPACITY) {
                    returnSome(c, counts[c] / 2);
                }
                received(block, CLASSES[c], false);
                bins[c][counts[c]++] = block;
            }
        }

        void returnEverything() {
            for (int c = 0; c < CLASSES.length; c++) {
                returnSome(c, counts[c]);
            }
        }

        void returnBlock(long block) {
            int c = classIndexOf(block);
            received(block, CLASSES[c], false);
            bins[c][counts[c]++] = block;
            returnSome(c, counts[c]);
        }

        /**
         * A block reached this thread: from the heap ({@code fresh}), which must not have handed it to anyone else,
         * or from another thread, whose stamp must be intact. Either way this thread stamps both of its ends.
         */
        private void received(long block, int sizeClass, boolean fresh) {
            long last = block + SizeClasses.blockSize(sizeClass) - Long.BYTES;
            if (fresh) {
                Descriptor descriptor = heap.descriptorOf(block);
                assertNotNull(descriptor, "block 0x" + Long.toHexString(block) + " is in no superblock");
                int index = SizeClasses.blockIndex(sizeClass, block - descriptor.base());
                assertTrue(descriptor.markAllocated(index), "block 0x" + Long.toHexString(block) + " handed out twice");
                memory.handedOut(block);
            } else {
                assertEquals(read(block), read(last), "stamps of a passed block differ");
            }
            long stamp = ((long) id << 48) | ++stamps;
            write(block, stamp);
            write(last, stamp);
        }

        /** This thread is about to give {@code block} back to the heap: no one may have written it meanwhile. */
        private void released(long block, int sizeClass) {
            long first = read(block);
            long last = read(block + SizeClasses.blockSize(sizeClass) - Long.BYTES);
            assertEquals(first, last, "block 0x" + Long.toHexString(block) + " was written by another user");
            Descriptor descriptor = heap.descriptorOf(block);
            int index = SizeClasses.blockIndex(sizeClass, block - descriptor.base());
            assertTrue(descriptor.markFreed(index), "block 0x" + Long.toHexString(block) + " was not allocated");
            memory.returning(block);
        }

        private int classIndexOf(long block) {
            int sizeClass = heap.descriptorOf(block).sizeClass();
            return sizeClass == CLASSES[0] ? 0 : 1;
        }

        private static long read(long address) {
            return RawMemory.EVERYTHING.get(ValueLayout.JAVA_LONG, address);
        }

        private static void write(long address, long value) {
            RawMemory.EVERYTHING.set(ValueLayout.JAVA_LONG, address, value);
        }
    }
}
