package io.apfmalloc.benchmarks.soak;

import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops the soak's threads for an invariant check: worker threads call {@link #checkpoint()} between operations,
 * event loops are handed a task that waits. {@link #stopTheWorld} runs its check once all of them wait (so everything
 * they did happens-before it) and then lets them go. Every worker must keep calling {@link #checkpoint()} until the
 * last pause is over.
 */
final class PausePoint {
    private static final long ARRIVAL_TIMEOUT_SECONDS = 60;

    private final int workers;
    private volatile Pause current;

    /** Makes a pause point for {@code workers} worker threads that will call {@link #checkpoint()}. */
    PausePoint(int workers) {
        this.workers = workers;
    }

    /** Waits here while a pause is on; a worker's call between operations. */
    void checkpoint() {
        Pause pause = current;
        if (pause != null) {
            pause.arriveAndWait();
        }
    }

    /**
     * Stops every worker and every one of {@code loops}, runs {@code check} while they wait, and lets them go.
     *
     * @throws IllegalStateException if some thread did not stop within a minute
     */
    void stopTheWorld(List<EventExecutor> loops, Runnable check) throws InterruptedException {
        Pause pause = new Pause(workers + loops.size());
        current = pause;
        for (EventExecutor loop : loops) {
            loop.execute(pause::arriveAndWait);
        }
        try {
            if (!pause.arrived.await(ARRIVAL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("threads did not reach the pause: " + pause.arrived.getCount()
                    + " missing");
            }
            check.run();
        } finally {
            current = null;
            pause.resume.countDown();
        }
    }

    private static final class Pause {
        final CountDownLatch arrived;
        final CountDownLatch resume = new CountDownLatch(1);

        Pause(int parties) {
            this.arrived = new CountDownLatch(parties);
        }

        void arriveAndWait() {
            arrived.countDown();
            boolean interrupted = false;
            while (true) {
                try {
                    resume.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
