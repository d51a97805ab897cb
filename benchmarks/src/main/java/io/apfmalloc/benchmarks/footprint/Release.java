package io.apfmalloc.benchmarks.footprint;

import java.util.Locale;

/** Which threads release the burst's buffers. */
public enum Release {
    /** Each event loop releases the buffers it allocated: frees go to the loop's own cache first. */
    LOOP,
    /**
     * A plain thread, no event loop, releases them all: frees go wherever an allocator puts a foreign thread's
     * frees (ours: the shared stripes; pooled and adaptive: back to the arena or chunk).
     */
    OTHER;

    /** Returns the lower-case name used on command lines and in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the variant named {@code label} (any case). */
    public static Release of(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }
}
