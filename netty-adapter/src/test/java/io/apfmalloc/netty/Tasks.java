package io.apfmalloc.netty;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Waiting for tasks handed to event loops and executors, with what they threw thrown again. */
final class Tasks {
    /** A safety net for a hung thread, not a timing assertion. */
    static final long TIMEOUT_SECONDS = 60;

    private Tasks() {
    }

    /** Returns the task's result; an error or exception it threw is thrown here as it was. */
    static <T> T await(Future<T> future) throws Exception {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (Exception) e.getCause();
        }
    }
}
