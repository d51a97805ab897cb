package io.apfmalloc.benchmarks.classic;

/**
 * An allocator the classic workloads run on: apfmalloc, or a native allocator called through the {@code Linker}.
 * Most are one object shared by every thread (they implement {@link ThreadAllocator} and return themselves); an
 * allocator that binds a cache to each thread opens one per worker.
 */
public interface ClassicAllocator {
    /** Returns the view of the allocator for the calling thread; the thread closes it when it is done. */
    ThreadAllocator openThread();
}
