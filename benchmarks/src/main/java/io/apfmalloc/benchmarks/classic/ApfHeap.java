package io.apfmalloc.benchmarks.classic;

import io.apfmalloc.core.ApfAllocator;

/**
 * apfmalloc as most Java code calls it: {@link ApfAllocator#malloc} and {@link ApfAllocator#free} from any thread,
 * each platform thread served by a cache of its own found through a thread-local. Over
 * {@link io.apfmalloc.core.ApfMalloc#allocator()} these are exactly {@code ApfMalloc.doMalloc}/{@code doFree}.
 *
 * @param allocator the allocator called
 */
public record ApfHeap(ApfAllocator allocator) implements SharedAllocator {
    @Override
    public long malloc(long size) {
        return allocator.malloc(size);
    }

    @Override
    public void free(long address) {
        allocator.free(address);
    }
}
