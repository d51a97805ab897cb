package io.apfmalloc.core.internal.tcache;

import java.util.Arrays;

/**
 * Turns a burst's trace of allocations and frees into free intervals: each free of a block at time {@code s}
 * (allocations so far) paired with the block's next allocation, number {@code e}. Borrowed from the policy's spares
 * by a tuner whose burst ends and given back at once, so an idle cache holds none; its open-addressing table and
 * interval arrays are reused, so an extraction allocates nothing.
 */
final class IntervalExtractor {
    /** Bit 0 of a trace entry: set for a free. Block addresses are 8-byte aligned, so the bit is free. */
    static final long FREE_MARK = 1L;

    private final long[] keys;
    private final int[] pendingFreeTimes;
    private final int mask;
    final int[] frees;
    final int[] ends;
    /** Scratch of {@link ReuseCurve#compute}, kept here so that computing a curve allocates nothing either. */
    final long[] slopeChanges;

    /** Makes an extractor for traces of at most {@code maxEvents} entries. */
    IntervalExtractor(int maxEvents) {
        int tableSize = Integer.highestOneBit(Math.max(2, 2 * maxEvents - 1)) << 1;
        this.keys = new long[tableSize];
        this.pendingFreeTimes = new int[tableSize];
        this.mask = tableSize - 1;
        this.frees = new int[maxEvents];
        this.ends = new int[maxEvents];
        this.slopeChanges = new long[maxEvents + 3];
    }

    /**
     * Extracts the intervals of {@code trace[0 .. length)} into {@link #frees} and {@link #ends}.
     *
     * @return the number of intervals
     */
    int extract(long[] trace, int length) {
        Arrays.fill(keys, 0L);
        int allocations = 0;
        int intervals = 0;
        for (int i = 0; i < length; i++) {
            long entry = trace[i];
            long block = entry & ~FREE_MARK;
            int slot = slotOf(block);
            if ((entry & FREE_MARK) != 0) {
                keys[slot] = block;
                pendingFreeTimes[slot] = allocations;
            } else {
                if (keys[slot] == block && pendingFreeTimes[slot] >= 0) {
                    frees[intervals] = pendingFreeTimes[slot];
                    ends[intervals] = allocations;
                    intervals++;
                    pendingFreeTimes[slot] = -1;
                }
                allocations++;
            }
        }
        return intervals;
    }

    /** Returns the slot holding {@code block}, or the empty slot where it would go (linear probing). */
    private int slotOf(long block) {
        int slot = (int) ((block * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        while (keys[slot] != 0 && keys[slot] != block) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }
}
