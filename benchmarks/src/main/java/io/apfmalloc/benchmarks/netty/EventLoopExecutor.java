package io.apfmalloc.benchmarks.netty;

import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * JMH's worker threads as Netty event loops: with {@code -Djmh.executor=CUSTOM
 * -Djmh.executor.class=io.apfmalloc.benchmarks.netty.EventLoopExecutor} in the forked JVM, every benchmark thread
 * runs its work as a task of a Netty {@code DefaultEventExecutor}, on the executor's {@code FastThreadLocalThread}.
 * Each allocator then takes the path it takes on a real event loop: Netty's pooled thread caches (a
 * {@code FastThreadLocalThread}), adaptive's thread-local magazines (which also need the thread to be running an
 * {@code EventExecutor}), our per-loop core caches (a thread that cleans up its {@code FastThreadLocal}s).
 *
 * <p>JMH submits one task per benchmark thread for each iteration; the group hands them out round-robin, so each
 * benchmark thread keeps its executor, and so its thread, from one iteration to the next.
 */
public final class EventLoopExecutor extends DefaultEventExecutorGroup {
    /** Tells JMH to take its executor from {@link #EXECUTOR_CLASS}; with it on every fork of this package. */
    public static final String EXECUTOR_TYPE = "-Djmh.executor=CUSTOM";
    /** Names this class as JMH's executor. */
    public static final String EXECUTOR_CLASS = "-Djmh.executor.class=io.apfmalloc.benchmarks.netty.EventLoopExecutor";
    /** The core maps memory through {@code Linker} downcalls. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Room for the steady-state shape's heap buffers (about 120 MiB live) and every allocator's pools. */
    public static final String HEAP = "-Xmx2g";

    /**
     * Called by JMH reflectively.
     *
     * @param maxThreads the number of benchmark threads, one event loop each
     * @param prefix     the prefix of the loops' thread names
     */
    public EventLoopExecutor(int maxThreads, String prefix) {
        super(maxThreads, new DefaultThreadFactory(prefix, true));
    }
}
