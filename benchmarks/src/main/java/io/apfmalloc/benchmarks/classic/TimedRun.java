package io.apfmalloc.benchmarks.classic;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a workload's worker threads for a while, Larson's way: the caller's thread sleeps for the run's length, then
 * raises a stop flag that the workers poll at their own pace (after every operation, or every round), and the run
 * lasts until the last worker has seen it and ended. Each worker is a lane with an operation counter of its own.
 * One instance makes one run: {@code TimedRun run = new TimedRun(name, lanes); run.measure(nanos, lane -> …)},
 * the body polling {@code run.stopped()}.
 *
 * <p>A lane is one platform thread, or (with thread churn) a chain of them: when a thread's body returns before the
 * stop flag is up, that thread starts a new one for the same lane and ends, as Larson's {@code exercise_heap} does.
 */
final class TimedRun {
    /** Longest wait for the workers to end once the stop flag is up. */
    private static final long FINISH_TIMEOUT_SECONDS = 60;
    /** Counters of adjacent lanes are this many longs apart: two cache lines, so workers do not share one. */
    private static final int COUNTER_STRIDE = 16;

    /** The body of a lane's thread. */
    @FunctionalInterface
    interface LaneBody {
        /** Does the lane's work on the calling thread; returns the operations done. */
        long run(int lane);
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Throwable> failures = new ArrayList<>();
    private final String name;
    private final int lanes;
    /** Operations per lane, at {@code lane * COUNTER_STRIDE}; written by the lane's threads, each after the last. */
    private final long[] operations;
    /** The last thread of each lane, set by that thread before it counts down {@link #finished}. */
    private final Thread[] lastThreads;
    private final CountDownLatch finished;

    /** Makes a run of {@code lanes} workers whose threads are named after {@code name}. */
    TimedRun(String name, int lanes) {
        this.name = name;
        this.lanes = lanes;
        this.operations = new long[lanes * COUNTER_STRIDE];
        this.lastThreads = new Thread[lanes];
        this.finished = new CountDownLatch(lanes);
    }

    /** Returns whether the run is over; workers poll this. An opaque read: the flag needs no ordering of its own. */
    boolean stopped() {
        return stop.getOpaque();
    }

    /**
     * Starts one thread per lane running {@code body} (which loops until {@link #stopped}), lets them run for
     * {@code nanos}, stops them and waits until they have ended.
     *
     * @return the operations of all lanes and the time from the first start to the last end
     * @throws IllegalStateException if a worker threw (the first failures attached), or the workers did not end
     */
    Measurement measure(long nanos, LaneBody body) throws InterruptedException {
        return run(nanos, body, false);
    }

    /**
     * Like {@link #measure}, but each time {@code body} returns before the stop, its thread starts a fresh thread
     * for the same lane, which runs {@code body} again, and ends.
     */
    Measurement measureWithChurn(long nanos, LaneBody body) throws InterruptedException {
        return run(nanos, body, true);
    }

    private Measurement run(long nanos, LaneBody body, boolean churn) throws InterruptedException {
        long start = System.nanoTime();
        for (int lane = 0; lane < lanes; lane++) {
            startThread(lane, 0, body, churn);
        }
        TimeUnit.NANOSECONDS.sleep(nanos);
        stop.setOpaque(true);
        if (!finished.await(FINISH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + ": workers still running " + FINISH_TIMEOUT_SECONDS
                + " s after the stop");
        }
        for (Thread thread : lastThreads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - start;
        synchronized (failures) {
            if (!failures.isEmpty()) {
                IllegalStateException failure = new IllegalStateException(name + ": " + failures.size()
                    + " worker thread(s) failed", failures.getFirst());
                failures.stream().skip(1).limit(4).forEach(failure::addSuppressed);
                throw failure;
            }
        }
        long total = 0;
        for (int lane = 0; lane < lanes; lane++) {
            total += operations[lane * COUNTER_STRIDE];
        }
        return new Measurement(total, elapsed);
    }

    private void startThread(int lane, int generation, LaneBody body, boolean churn) {
        Thread.ofPlatform().name(name + "-" + lane + (churn ? "." + generation : "")).start(() -> {
            try {
                operations[lane * COUNTER_STRIDE] += body.run(lane);
            } catch (Throwable t) {
                synchronized (failures) {
                    failures.add(t);
                }
                stop.setOpaque(true);
            }
            if (churn && !stopped()) {
                startThread(lane, generation + 1, body, churn);
            } else {
                lastThreads[lane] = Thread.currentThread();
                finished.countDown();
            }
        });
    }
}
