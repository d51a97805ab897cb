package io.apfmalloc.core.testing;

import java.util.Collection;

/** Collects what worker threads threw, for the test thread to rethrow after joining them. */
public final class ThreadFailures {
    /** At most this many are attached, so that ten thousand identical failures stay readable. */
    private static final int MAX_ATTACHED = 10;

    private ThreadFailures() {
    }

    /** Throws one error carrying {@code failures} as suppressed exceptions, unless there are none. */
    public static void rethrowAll(Collection<Throwable> failures, String threads) {
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError(failures.size() + " " + threads + " failed");
            failures.stream().limit(MAX_ATTACHED).forEach(error::addSuppressed);
            throw error;
        }
    }
}
