package io.apfmalloc.benchmarks.classic;

import io.apfmalloc.core.ApfAllocator;
import io.apfmalloc.core.ApfThreadCache;

/**
 * apfmalloc as a framework that owns its threads calls it (as the Netty adapter does on its event loops): every
 * worker thread makes an {@link ApfThreadCache} of its own with {@link ApfAllocator#newThreadCache} when it starts,
 * allocates and frees through it with no thread-local lookup, and closes it when it ends, which returns the cached
 * blocks to the shared heap.
 *
 * @param allocator the allocator whose caches the threads bind
 */
public record ApfBoundCaches(ApfAllocator allocator) implements ClassicAllocator {
    @Override
    public ThreadAllocator openThread() {
        return new BoundCache(allocator.newThreadCache(Thread.currentThread().getName()));
    }

    /** One thread's cache. */
    private record BoundCache(ApfThreadCache cache) implements ThreadAllocator {
        @Override
        public long malloc(long size) {
            return cache.malloc(size);
        }

        @Override
        public void free(long address) {
            cache.free(address);
        }

        @Override
        public void close() {
            cache.close();
        }
    }
}
