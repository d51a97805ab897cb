package io.apfmalloc.core.testing;

import org.junit.jupiter.api.function.Executable;

/**
 * Seeds for the randomized tests: a fresh one per run, or the one given by {@code -Dapfmalloc.test.seed}, so that a
 * failure seen once can be replayed. {@link #run} names the seed in the failure.
 */
public final class TestSeeds {
    /** The system property that fixes the seed. */
    public static final String PROPERTY = "apfmalloc.test.seed";

    private TestSeeds() {
    }

    /** Returns the seed for this run. */
    public static long seed() {
        return Long.getLong(PROPERTY, System.nanoTime() * 0x9E3779B97F4A7C15L);
    }

    /** Runs {@code body}; any failure is rethrown wrapped in an error that names {@code seed}. */
    public static void run(long seed, Executable body) {
        try {
            body.execute();
        } catch (Throwable t) {
            throw new AssertionError("failed with seed " + seed + " (replay with -D" + PROPERTY + "=" + seed + ")",
                t);
        }
    }
}
