package io.apfmalloc.benchmarks.classic;

/**
 * An allocator under test as one worker thread calls it. A thread gets one from {@link ClassicAllocator#openThread}
 * when it starts and closes it when it ends; a block may be freed through any thread's view, whichever allocated it.
 */
public interface ThreadAllocator extends AutoCloseable {
    /** Allocates at least {@code size} bytes; returns the address, or 0 if the allocator refuses. */
    long malloc(long size);

    /** Frees a block that {@code malloc} of this allocator (through any thread's view) returned. */
    void free(long address);

    /** Gives back what the calling thread holds for this view, if anything; does nothing by default. */
    @Override
    default void close() {
    }
}
