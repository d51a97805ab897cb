package io.apfmalloc.core.internal.heap;

import io.apfmalloc.core.internal.os.MemoryLimit;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Heap} over a {@link FakeSuperblockMemory} and the test threads that use it, as thread caches would: each
 * thread fills its own bin from the heap and flushes blocks back, and a block can pass from one thread to another
 * through a mailbox, so threads also return blocks they did not get from the heap themselves.
 *
 * <p>The size class has 4 blocks per 64 KiB superblock, so FULL to PARTIAL, PARTIAL to EMPTY and FULL to EMPTY all
 * happen within a few operations. Thread ids follow Lincheck's: 0 for the initial part, {@code 1 .. threads} for
 * the parallel threads, {@code threads + 1} for the post part. Each thread touches only its own bin.
 */
final class HeapWorkload {
    /** 16 KiB blocks: 4 per superblock, and a superblock is one page-map unit. */
    static final int SIZE_CLASS = SizeClasses.classOf(16 * 1024);
    private static final int BLOCKS = SizeClasses.blocksPerSuperblock(SIZE_CLASS);
    /** Room for two superblocks' worth of blocks per thread. */
    private static final int BIN_CAPACITY = 2 * BLOCKS;

    private final FakeSuperblockMemory memory;
    private final Heap heap;
    private final Bins bins;
    /** A block on its way from one thread to another; 0 when empty. */
    private final AtomicLong mailbox = new AtomicLong();

    /**
     * Makes an empty heap with room for {@code superblocks} superblocks, for {@code threads} parallel threads, that
     * keeps up to {@code retained} wholly free superblocks mapped for reuse.
     */
    HeapWorkload(int threads, int superblocks, int retained) {
        memory = new FakeSuperblockMemory(SIZE_CLASS, superblocks);
        heap = new Heap(memory, new MemoryLimit(Long.MAX_VALUE), memory, false,
            (long) retained * SizeClasses.superblockSize(SIZE_CLASS));
        bins = new Bins(threads + 2, BIN_CAPACITY);
    }

    /** Releases the wholly free superblocks kept for reuse, as {@code trim()} does for each class. */
    void releaseRetained() {
        heap.releaseRetainedSuperblocks(SIZE_CLASS);
    }

    /** Thread {@code thread} fills its bin with up to {@code want} blocks of a new superblock, or a partial one's. */
    void fill(int thread, int want) {
        int at = bins.count(thread);
        if (at + BLOCKS > BIN_CAPACITY) {
            return;
        }
        long[] bin = bins.row(thread);
        int got = heap.fill(SIZE_CLASS, want, bin, at);
        for (int i = at; i < at + got; i++) {
            memory.handedOut(bin[i]);
        }
        bins.setCount(thread, at + got);
    }

    /** Thread {@code thread} returns its whole bin in one flush. */
    void flushAll(int thread) {
        int count = bins.count(thread);
        long[] bin = bins.row(thread);
        for (int i = 0; i < count; i++) {
            memory.returning(bin[i]);
        }
        bins.setCount(thread, 0);
        heap.flush(bin, 0, count);
    }

    /** Thread {@code thread} returns the block it got last. */
    void flushNewest(int thread) {
        int count = bins.count(thread);
        if (count > 0) {
            long[] bin = bins.row(thread);
            memory.returning(bin[count - 1]);
            bins.setCount(thread, count - 1);
            heap.flush(bin, count - 1, count);
        }
    }

    /** Thread {@code thread} passes the block it got last to whichever thread calls {@link #flushGiven} next. */
    void give(int thread) {
        int count = bins.count(thread);
        if (count > 0 && mailbox.compareAndSet(0, bins.row(thread)[count - 1])) {
            bins.setCount(thread, count - 1);
        }
    }

    /** Returns the block in the mailbox, if any, to the heap. */
    void flushGiven() {
        long block = mailbox.getAndSet(0);
        if (block != 0) {
            memory.returning(block);
            heap.flush(new long[] {block}, 0, 1);
        }
    }

    /** Moves the block thread {@code from} got last to thread {@code to}'s bin; only to set up a test. */
    void hand(int from, int to) {
        int count = bins.count(from);
        int at = bins.count(to);
        bins.row(to)[at] = bins.row(from)[count - 1];
        bins.setCount(from, count - 1);
        bins.setCount(to, at + 1);
    }

    /** Checks the heap's invariants ({@link HeapInvariants}); only while no thread uses it. */
    void checkQuiescent() {
        HeapInvariants.check(heap, memory, SIZE_CLASS);
    }

    /**
     * Returns every block from every bin and the mailbox, then checks that the heap gave every superblock back:
     * none mapped, nothing reserved, every descriptor retired or about to be. Only while no thread uses the heap.
     */
    void drainAndCheck() {
        flushGiven();
        for (int thread = 0; thread < bins.threads(); thread++) {
            flushAll(thread);
        }
        checkQuiescent();
        releaseRetained();
        checkQuiescent();
        for (int superblock = 0; superblock < memory.superblocksMapped(); superblock++) {
            if (memory.isMapped(superblock)) {
                throw new AssertionError("superblock " + superblock + " still mapped after every block came back");
            }
        }
    }

    /** Returns the heap under test. */
    Heap heap() {
        return heap;
    }

    /** The test threads' bins: plain arrays, each row used by one thread at a time. */
    static final class Bins {
        private final long[][] blocks;
        private final int[] counts;

        Bins(int threads, int capacity) {
            blocks = new long[threads][capacity];
            counts = new int[threads];
        }

        int threads() {
            return counts.length;
        }

        long[] row(int thread) {
            return blocks[thread];
        }

        int count(int thread) {
            return counts[thread];
        }

        void setCount(int thread, int count) {
            counts[thread] = count;
        }
    }
}
