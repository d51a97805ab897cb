package io.apfmalloc.benchmarks.classic;

import io.apfmalloc.benchmarks.raw.NativeMalloc;

/**
 * A native allocator's {@code malloc} and {@code free} through critical downcalls, shared by every thread (each
 * allocator keeps its own per-thread caches, keyed by the native thread underneath the Java one).
 *
 * @param functions the linked {@code malloc} and {@code free}
 */
public record NativeHeap(NativeMalloc functions) implements SharedAllocator {
    @Override
    public long malloc(long size) {
        return functions.malloc(size);
    }

    @Override
    public void free(long address) {
        functions.free(address);
    }
}
