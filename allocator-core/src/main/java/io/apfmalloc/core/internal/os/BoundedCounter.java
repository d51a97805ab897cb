package io.apfmalloc.core.internal.os;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A non-negative shared count that grows only within a bound: the bytes mapped under the memory limit, the bytes of
 * retained superblocks under the retention budget, the units carved from the superblock arena. Growth is one bounded
 * CAS loop, so concurrent adders never overshoot together; shrinking is one atomic add.
 */
public final class BoundedCounter {
    private final AtomicLong value = new AtomicLong();

    /**
     * Adds {@code delta} (positive) unless the count would pass {@code bound}; lock-free.
     *
     * @return the count before the add, or -1, adding nothing, if it would pass the bound (or overflow)
     */
    public long tryAdd(long delta, long bound) {
        while (true) {
            long current = value.get();
            long next = current + delta;
            if (next > bound || next < current) {
                return -1;
            }
            if (value.compareAndSet(current, next)) {
                return current;
            }
        }
    }

    /** Takes {@code delta} off the count; it must have been added before. */
    public void subtract(long delta) {
        long after = value.addAndGet(-delta);
        assert after >= 0 : after;
    }

    /** Returns the count now. */
    public long get() {
        return value.get();
    }
}
