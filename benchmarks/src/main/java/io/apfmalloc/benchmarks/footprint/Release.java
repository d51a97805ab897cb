package io.apfmalloc.benchmarks.footprint;

import io.apfmalloc.benchmarks.harness.Labelled;

/** Which threads release the burst's buffers. */
public enum Release implements Labelled {
    /** Each event loop releases the buffers it allocated: frees go to the loop's own cache first. */
    LOOP,
    /**
     * A plain thread, no event loop, releases them all: frees go wherever an allocator puts a foreign thread's
     * frees (ours: the shared stripes; pooled and adaptive: back to the arena or chunk).
     */
    OTHER;

    /** Returns the variant named {@code label} (any case). */
    public static Release of(String label) {
        return Labelled.parse(Release.class, "release", label);
    }
}
