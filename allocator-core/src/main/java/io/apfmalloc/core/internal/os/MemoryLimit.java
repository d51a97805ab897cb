package io.apfmalloc.core.internal.os;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory limit: every byte mapped from the {@link MemorySource} is reserved here first, so an allocation past
 * the limit fails before it touches any shared state, and concurrent allocators never overshoot together.
 */
public final class MemoryLimit {
    private final long limit;
    private final AtomicLong reserved = new AtomicLong();

    /** Makes a limit of {@code limit} bytes. */
    public MemoryLimit(long limit) {
        this.limit = limit;
    }

    /**
     * Reserves {@code bytes}; lock-free (CAS loop on the total).
     *
     * @return false, reserving nothing, if the total would pass the limit
     */
    public boolean tryReserve(long bytes) {
        while (true) {
            long current = reserved.get();
            long next = current + bytes;
            if (next > limit || next < current) {
                return false;
            }
            if (reserved.compareAndSet(current, next)) {
                return true;
            }
        }
    }

    /** Gives back {@code bytes} reserved earlier. */
    public void release(long bytes) {
        long after = reserved.addAndGet(-bytes);
        assert after >= 0 : after;
    }

    /** Returns the bytes reserved now: memory mapped from the OS. */
    public long reserved() {
        return reserved.get();
    }

    /** Returns the limit in bytes. */
    public long limit() {
        return limit;
    }
}
