package io.apfmalloc.core.internal.tcache;

import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import java.util.Arrays;

/**
 * One size class's free blocks in one thread cache: a LIFO stack of block addresses, touched only by the cache's
 * owner, so malloc and free need no atomics. Its capacity is the hard bound ({@link #capacityFor}): at least two
 * superblocks' worth, so that a bin holding a superblock's blocks still has room for frees before a return (or a
 * malloc/free ping-pong at the boundary would map and unmap a superblock per call). The array behind the stack grows
 * with use, doubling up to the bound, and shrinks back when the cache is flushed: a cache costs Java heap for the
 * blocks it holds, not for the most it could hold.
 *
 * <p>The bin also carries what its {@link CachePolicy} needs on the fast path: an allocation clock with the next
 * clock value at which the policy wants to hear about it, whether frees are being traced, and the return threshold.
 */
public final class Bin {
    /** Bins of classes whose byte budget allows more hold at most this many blocks (64 KiB of addresses). */
    private static final int MAX_BYTE_SIZED_CAPACITY = 8192;
    /** Entries of a new or flushed bin's array: 144 bytes, enough for a thread that uses the class a little. */
    static final int INITIAL_ENTRIES = 16;

    final int sizeClass;
    /** The hard bound: the most blocks the bin may hold. */
    private final int capacity;
    /** The stack of free blocks, {@code [0, count)}; its length grows up to {@link #capacity}. */
    long[] blocks;
    int count;
    /** A free that brings {@code count} to this asks the policy what to return; within {@code [2, capacity]}. */
    int returnThreshold;
    /** Tracked allocations served by this bin: the tuner's clock. */
    long allocations;
    /** When {@link #allocations} reaches this, the policy hears about the allocation. */
    long nextEvent = Long.MAX_VALUE;
    /** Whether frees are recorded for the tuner (during a sampled burst). */
    boolean tracingFrees;
    /** The APF tuner of this bin, or {@code null} under a policy without one. */
    ApfTuner tuner;
    long fetches;
    long blocksFetched;
    long blocksReturned;

    Bin(int sizeClass, int capacity) {
        assert capacity >= 2 * SizeClasses.blocksPerSuperblock(sizeClass) : capacity;
        this.sizeClass = sizeClass;
        this.capacity = capacity;
        this.blocks = new long[Math.min(INITIAL_ENTRIES, capacity)];
    }

    /** Makes the array hold at least {@code entries} blocks (at most the capacity), doubling as it grows. */
    void ensureRoom(int entries) {
        if (entries > blocks.length) {
            blocks = Arrays.copyOf(blocks, Math.min(capacity, Math.max(entries, 2 * blocks.length)));
        }
    }

    /** Gives a large array back once the bin is empty. */
    void shrinkWhenEmpty() {
        if (count == 0 && blocks.length > INITIAL_ENTRIES) {
            blocks = new long[INITIAL_ENTRIES];
        }
    }

    /**
     * Returns the hard bound for bins of {@code sizeClass}: {@code maxBinBytes} worth of blocks, at least two
     * superblocks' worth, and for small classes at most {@link #MAX_BYTE_SIZED_CAPACITY} blocks beyond that.
     */
    static int capacityFor(int sizeClass, long maxBinBytes) {
        long byBytes = Math.min(MAX_BYTE_SIZED_CAPACITY, maxBinBytes / SizeClasses.blockSize(sizeClass));
        return (int) Math.max(2L * SizeClasses.blocksPerSuperblock(sizeClass), byBytes);
    }

    /** Returns the size class this bin serves. */
    public int sizeClass() {
        return sizeClass;
    }

    /** Returns how many free blocks the bin holds now. */
    public int count() {
        return count;
    }

    /** Returns the most blocks the bin can hold. */
    public int capacity() {
        return capacity;
    }

    /** Returns how many blocks the bin's array has room for now (it grows up to {@link #capacity()}). */
    public int arrayLength() {
        return blocks.length;
    }

    /** Returns the count at which a free makes the bin return blocks. */
    public int returnThreshold() {
        return returnThreshold;
    }

    /** Sets the count at which a free makes the bin return blocks, clamped to {@code [2, capacity]}. */
    public void setReturnThreshold(int threshold) {
        returnThreshold = Math.clamp(threshold, 2, capacity);
    }

    /** Returns the tracked allocations this bin served. */
    public long allocations() {
        return allocations;
    }

    /** Returns how many times the bin fetched from the heap. */
    public long fetches() {
        return fetches;
    }

    /** Returns how many blocks the bin fetched from the heap in all. */
    public long blocksFetched() {
        return blocksFetched;
    }

    /** Returns how many blocks the bin returned to the heap in all. */
    public long blocksReturned() {
        return blocksReturned;
    }
}
