package io.apfmalloc.benchmarks.classic;

/** An allocator that every thread calls through the same object: its view for any thread is itself. */
public interface SharedAllocator extends ClassicAllocator, ThreadAllocator {
    @Override
    default ThreadAllocator openThread() {
        return this;
    }
}
