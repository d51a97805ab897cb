package io.apfmalloc.core.internal.tcache;

import io.apfmalloc.core.internal.sizeclass.SizeClasses;

/**
 * One size class's free blocks in one thread cache: a LIFO stack of block addresses, touched only by the cache's
 * owner, so malloc and free need no atomics. Its capacity, the hard bound, comes from the {@link CachePolicy}: at
 * least two superblocks' worth, since a fill takes every free block of the superblock it pops (up to one superblock)
 * and there must be room above that for frees before a return, or a malloc/free ping-pong at the boundary would map
 * and unmap a superblock per call.
 */
public final class Bin {
    final int sizeClass;
    final long[] blocks;
    int count;
    /** A free that brings {@code count} to this asks the policy what to return; at most the capacity. */
    int returnThreshold;

    Bin(int sizeClass, int capacity) {
        assert capacity >= 2 * SizeClasses.blocksPerSuperblock(sizeClass) : capacity;
        this.sizeClass = sizeClass;
        this.blocks = new long[capacity];
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
        return blocks.length;
    }

    /** Returns the count at which a free makes the bin return blocks. */
    public int returnThreshold() {
        return returnThreshold;
    }

    /** Sets the count at which a free makes the bin return blocks, clamped to {@code [2, capacity]}. */
    public void setReturnThreshold(int threshold) {
        returnThreshold = Math.clamp(threshold, 2, blocks.length);
    }
}
