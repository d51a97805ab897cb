package io.apfmalloc.core.internal.os;

/**
 * The memory limit: every byte mapped from the {@link MemorySource} is reserved here first, so an allocation past
 * the limit fails before it touches any shared state, and concurrent allocators never overshoot together.
 */
public final class MemoryLimit {
    private final long limit;
    private final BoundedCounter reserved = new BoundedCounter();

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
        return reserved.tryAdd(bytes, limit) >= 0;
    }

    /** Gives back {@code bytes} reserved earlier. */
    public void release(long bytes) {
        reserved.subtract(bytes);
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
