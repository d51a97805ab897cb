package io.apfmalloc.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.SynchronousQueue;

/**
 * A few platform threads that run tasks one at a time, each task on the thread it names, while the caller waits: a
 * sequence of calls spread over several threads then replays exactly, yet each call really runs on its thread (its
 * own thread cache, frees of blocks another thread allocated). The hand-off through a {@link SynchronousQueue} and
 * the wait on a {@link FutureTask} order each task after the previous one, whichever threads ran them.
 */
final class WorkerThreads implements AutoCloseable {
    /** Tells a worker to end. */
    private static final FutureTask<Void> STOP = new FutureTask<>(() -> null);

    private final List<Thread> threads = new ArrayList<>();
    private final List<SynchronousQueue<FutureTask<?>>> inboxes = new ArrayList<>();

    /** Starts {@code count} workers named {@code name-0}, {@code name-1}, … */
    WorkerThreads(int count, String name) {
        for (int i = 0; i < count; i++) {
            SynchronousQueue<FutureTask<?>> inbox = new SynchronousQueue<>();
            inboxes.add(inbox);
            threads.add(Thread.ofPlatform().name(name + "-" + i).start(() -> serve(inbox)));
        }
    }

    private static void serve(SynchronousQueue<FutureTask<?>> inbox) {
        try {
            for (FutureTask<?> task = inbox.take(); task != STOP; task = inbox.take()) {
                task.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns how many workers there are. */
    int count() {
        return threads.size();
    }

    /** Runs {@code task} on worker {@code index} and waits for it; rethrows what it threw, unchanged. */
    void run(int index, Runnable task) {
        FutureTask<Void> future = new FutureTask<>(task, null);
        try {
            inboxes.get(index).put(future);
            future.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case Error error -> throw error;
                case RuntimeException exception -> throw exception;
                default -> throw new AssertionError(threads.get(index).getName() + "'s task failed", e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while " + threads.get(index).getName() + " ran a task", e);
        }
    }

    /** Ends the workers and waits for them. */
    @Override
    public void close() {
        try {
            for (SynchronousQueue<FutureTask<?>> inbox : inboxes) {
                inbox.put(STOP);
            }
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while ending the workers", e);
        }
    }
}
