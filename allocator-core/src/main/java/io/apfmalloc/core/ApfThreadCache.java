package io.apfmalloc.core;

import io.apfmalloc.core.internal.tcache.ThreadCache;
import io.apfmalloc.core.internal.tcache.Tracking;

/**
 * A thread cache that its user binds to one thread, from {@link ApfAllocator#newThreadCache}: a framework that owns
 * its threads (a Netty event loop) keeps one per thread and allocates through it, with no thread-local lookup.
 *
 * <p>Only one thread at a time may use a cache (no atomics inside); blocks may be freed through any cache or
 * through {@link ApfAllocator#free}, whichever thread allocated them. {@link #close()} returns the cached blocks to
 * the shared heap; after it, the cache must not be used.
 */
public final class ApfThreadCache implements AutoCloseable {
    private final ApfAllocator allocator;
    private final ThreadCache cache;

    ApfThreadCache(ApfAllocator allocator, ThreadCache cache) {
        this.allocator = allocator;
        this.cache = cache;
    }

    /**
     * Allocates at least {@code size} bytes through this cache; as {@link ApfAllocator#malloc}.
     *
     * @return the address, or 0 if the memory limit or the OS refuses
     * @throws IllegalArgumentException if {@code size < 0}
     */
    public long malloc(long size) {
        return allocator.allocate(cache, size, Tracking.TRACKED);
    }

    /**
     * Frees {@code address} into this cache; as {@link ApfAllocator#free}.
     *
     * @throws IllegalArgumentException if {@code address} is not an allocation of the allocator
     * @throws IllegalStateException    on a detected double free
     */
    public void free(long address) {
        allocator.free(cache, address, Tracking.TRACKED);
    }

    /**
     * Frees {@code address}, which {@link #malloc malloc(size)} of this allocator returned (through any cache), into
     * this cache without looking up its owner; see {@link ApfAllocator#freeSized} for what is checked and when.
     */
    public void freeSized(long address, long size) {
        allocator.freeSized(cache, address, size);
    }

    /**
     * Returns this cache's blocks to the shared heap, keeping the cache usable.
     *
     * @return whether the cache held any block
     */
    public boolean flush() {
        return cache.flushAll();
    }

    /** Returns this cache's blocks to the shared heap and unregisters it. */
    @Override
    public void close() {
        allocator.closeThreadCache(cache);
    }
}
