package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.AbstractEventExecutor;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.UnorderedThreadPoolEventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kind of thread a Netty program allocates on is served: event loops of each transport, Netty's executors
 * (including one that cannot schedule, as JMH harnesses bind them), bare fast-thread-local threads, platform,
 * virtual and fork-join threads, and threads that end while their buffers live on. Each allocates, writes, reads and
 * releases direct and heap buffers from 16 B to 1 MiB, releases some on another kind of thread and some made
 * elsewhere, with idle checks due every few milliseconds; then the threads end and the allocator's audit is clean.
 * Once more with every optional path on (JFR events, paranoid leak detection, metrics read meanwhile).
 */
class ThreadKindsTest {
    private static final int[] SIZES = {16, 100, 256, 1000, 4096, 10_000, 65_536, 300_000, 1 << 20};
    private static final int ROUNDS = 20;
    /** Short, so that idle checks run (and must not fail) on every executor while the test allocates. */
    private static final long IDLE_TRIM_MILLIS = 5;

    /** A kind of thread: runs tasks on threads of that kind, then lets them end. */
    interface ThreadKind {
        <T> T call(Callable<T> task) throws Exception;

        /** Ends the kind's threads and waits until they have. */
        void end() throws Exception;
    }

    enum Kind {
        NIO_EVENT_LOOP {
            @Override
            ThreadKind start() {
                return new NettyExecutor(new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()));
            }
        },
        EPOLL_EVENT_LOOP {
            @Override
            ThreadKind start() {
                Assumptions.assumeTrue(Epoll.isAvailable(), "epoll is not available here");
                return new NettyExecutor(new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory()));
            }
        },
        DEFAULT_EVENT_LOOP {
            @Override
            ThreadKind start() {
                return new NettyExecutor(new DefaultEventLoop());
            }
        },
        DEFAULT_EVENT_EXECUTOR {
            @Override
            ThreadKind start() {
                return new NettyExecutor(new DefaultEventExecutor());
            }
        },
        UNORDERED_THREAD_POOL_EXECUTOR {
            @Override
            ThreadKind start() {
                return new NettyExecutor(new UnorderedThreadPoolEventExecutor(2));
            }
        },
        GLOBAL_EVENT_EXECUTOR {
            @Override
            ThreadKind start() {
                return new ThreadKind() {
                    @Override
                    public <T> T call(Callable<T> task) throws Exception {
                        return Tasks.await(GlobalEventExecutor.INSTANCE.submit(task));
                    }

                    @Override
                    public void end() throws InterruptedException {
                        assertTrue(GlobalEventExecutor.INSTANCE.awaitInactivity(Tasks.TIMEOUT_SECONDS,
                            TimeUnit.SECONDS), "the global executor's thread stops once idle, checks or not");
                    }
                };
            }
        },
        EXECUTOR_THAT_CANNOT_SCHEDULE {
            @Override
            ThreadKind start() {
                return new UnschedulingExecutor();
            }
        },
        BARE_FAST_THREAD_LOCAL_THREAD {
            @Override
            ThreadKind start() {
                return new ThreadPerTask(FastThreadLocalThread::new);
            }
        },
        PLATFORM_THREAD {
            @Override
            ThreadKind start() {
                return new ThreadPerTask(Thread::new);
            }
        },
        VIRTUAL_THREAD {
            @Override
            ThreadKind start() {
                return new ThreadPerTask(Thread.ofVirtual()::unstarted);
            }
        },
        FORK_JOIN_WORKER {
            @Override
            ThreadKind start() {
                return new JdkExecutor(new ForkJoinPool(2));
            }
        };

        abstract ThreadKind start();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyThreadKindAllocatesAndReleasesAndTheAuditIsClean(Kind kind) throws Exception {
        exercise(ApfByteBufAllocator.builder().idleTrimMillis(IDLE_TRIM_MILLIS).build(), kind, ROUNDS);
    }

    /**
     * The same with every optional path on at once: Netty's allocator events recorded by JFR, paranoid leak
     * detection, and metrics read all along from another thread. None of them may fail an allocation.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyOptionalPathOnEveryThreadKind(Kind kind) throws Exception {
        ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().idleTrimMillis(IDLE_TRIM_MILLIS).build();
        ResourceLeakDetector.Level savedLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> metricsRead = CompletableFuture.runAsync(() -> {
            while (!done.get()) {
                ApfByteBufAllocatorMetric metric = allocator.metric();
                assertTrue(metric.usedDirectMemory() >= 0 && metric.threadCaches() != null
                    && metric.sizeClasses() != null);
            }
        }, Executors.newVirtualThreadPerTaskExecutor());
        try (Recording recording = new Recording()) {
            for (String event : List.of("io.netty.AllocateBuffer", "io.netty.FreeBuffer", "io.netty.ReallocateBuffer",
                "io.netty.AllocateChunk", "io.netty.FreeChunk")) {
                recording.enable(event).withoutStackTrace();
            }
            recording.start();
            exercise(allocator, kind, ROUNDS / 4);
        } finally {
            done.set(true);
            Tasks.await(metricsRead);
            ResourceLeakDetector.setLevel(savedLevel);
        }
    }

    /**
     * On {@code kind}: each round frees buffers made elsewhere, allocates, releases half and hands the rest to
     * another thread to release; buffers made last outlive the kind's threads. Then audits.
     */
    private static void exercise(ApfByteBufAllocator allocator, Kind kind, int rounds) throws Exception {
        ExecutorService elsewhere = Executors.newSingleThreadExecutor();
        ThreadKind threads = kind.start();
        try {
            List<ByteBuf> outliving;
            try {
                for (int round = 0; round < rounds; round++) {
                    int seed = round;
                    List<ByteBuf> madeElsewhere =
                        Tasks.await(elsewhere.submit(() -> allocateFilled(allocator, seed)));
                    List<ByteBuf> kept = threads.call(() -> {
                        verifyAndRelease(madeElsewhere, seed);
                        List<ByteBuf> buffers = allocateFilled(allocator, seed + 1);
                        verifyAndRelease(buffers.subList(0, buffers.size() / 2), seed + 1);
                        return new ArrayList<>(buffers.subList(buffers.size() / 2, buffers.size()));
                    });
                    Tasks.await(elsewhere.submit(() -> verifyAndRelease(kept, seed + 1)));
                    if (round % 5 == 0) {
                        Thread.sleep(2 * IDLE_TRIM_MILLIS);
                    }
                }
                outliving = threads.call(() -> allocateFilled(allocator, 7));
            } finally {
                threads.end();
            }
            Tasks.await(elsewhere.submit(() -> verifyAndRelease(outliving, 7)));
        } finally {
            elsewhere.shutdown();
            assertTrue(elsewhere.awaitTermination(Tasks.TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        assertEquals(0, allocator.metric().liveDirectBuffers());
        assertEquals(0, allocator.metric().liveHeapBuffers());
        assertEquals(0, trimmedUntilEmpty(allocator), "every thread's cache went back");
        BufferAudit audit = allocator.audit();
        assertTrue(audit.isConsistent(), audit::toString);
    }

    /**
     * Trims until nothing is mapped, or a safety deadline passes; returns the bytes still mapped. A pool's
     * termination is signalled before its threads have run their thread-local cleanup, which closes their caches,
     * so the last caches may come back a moment after {@link ThreadKind#end()} returns.
     */
    private static long trimmedUntilEmpty(ApfByteBufAllocator allocator) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Tasks.TIMEOUT_SECONDS);
        allocator.trim();
        while (allocator.metric().usedDirectMemory() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
            allocator.trim();
        }
        return allocator.metric().usedDirectMemory();
    }

    /** Allocates direct and heap buffers of every size and fills each with bytes that depend on {@code seed}. */
    private static List<ByteBuf> allocateFilled(ApfByteBufAllocator allocator, int seed) {
        byte[] pattern = pattern(seed);
        List<ByteBuf> buffers = new ArrayList<>();
        for (int size : SIZES) {
            for (ByteBuf buffer : List.of(allocator.directBuffer(size), allocator.heapBuffer(size))) {
                buffer.writeBytes(pattern, 0, size - 4).writeInt(patternInt(pattern, size - 4));
                buffers.add(buffer);
            }
        }
        return buffers;
    }

    /** Checks each buffer's bytes (bulk and one by one at a few places) and releases it. */
    private static Void verifyAndRelease(List<ByteBuf> buffers, int seed) {
        byte[] pattern = pattern(seed);
        for (ByteBuf buffer : buffers) {
            int size = buffer.readableBytes();
            assertTrue(Arrays.equals(ByteBufUtil.getBytes(buffer), 0, size, pattern, 0, size), buffer::toString);
            assertEquals(patternInt(pattern, size - 4), buffer.getInt(size - 4), buffer::toString);
            assertEquals(pattern[0], buffer.readByte(), buffer::toString);
            assertTrue(buffer.release());
        }
        return null;
    }

    /** Returns the big-endian int at {@code index} of {@code pattern}. */
    private static int patternInt(byte[] pattern, int index) {
        return Unpooled.wrappedBuffer(pattern).getInt(index);
    }

    private static byte[] pattern(int seed) {
        byte[] pattern = new byte[SIZES[SIZES.length - 1]];
        new Random(seed).nextBytes(pattern);
        return pattern;
    }

    /** A Netty executor or event loop group. */
    private record NettyExecutor(EventExecutorGroup group) implements ThreadKind {
        @Override
        public <T> T call(Callable<T> task) throws Exception {
            return Tasks.await(group.next().submit(task));
        }

        @Override
        public void end() throws InterruptedException {
            assertTrue(group.shutdownGracefully(0, 1, TimeUnit.SECONDS)
                .await(Tasks.TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
    }

    /** A JDK executor service. */
    private record JdkExecutor(ExecutorService executor) implements ThreadKind {
        @Override
        public <T> T call(Callable<T> task) throws Exception {
            return Tasks.await(executor.submit(task));
        }

        @Override
        public void end() throws InterruptedException {
            executor.shutdown();
            assertTrue(executor.awaitTermination(Tasks.TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
    }

    /** A new thread for every task, which ends with it. */
    private record ThreadPerTask(java.util.function.Function<Runnable, Thread> threads) implements ThreadKind {
        @Override
        public <T> T call(Callable<T> task) throws Exception {
            CompletableFuture<T> result = new CompletableFuture<>();
            Thread thread = threads.apply(() -> {
                try {
                    result.complete(task.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            thread.start();
            thread.join();
            return Tasks.await(result);
        }

        @Override
        public void end() {
            // Each thread ended with its task.
        }
    }

    /**
     * An executor that runs tasks on one fast-thread-local thread bound to it with {@link ThreadExecutorMap}, and
     * cannot schedule: {@link AbstractEventExecutor}'s scheduling methods throw. JMH harnesses and some frameworks
     * run their workers this way.
     */
    private static final class UnschedulingExecutor extends AbstractEventExecutor implements ThreadKind {
        private static final Runnable STOP = () -> { };
        private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
        private final Thread thread;
        private final io.netty.util.concurrent.Promise<Void> termination =
            GlobalEventExecutor.INSTANCE.newPromise();

        UnschedulingExecutor() {
            thread = new FastThreadLocalThread(ThreadExecutorMap.apply(this::runTasks, this), "unscheduling");
            thread.start();
        }

        private void runTasks() {
            try {
                for (Runnable task = tasks.take(); task != STOP; task = tasks.take()) {
                    task.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public <T> T call(Callable<T> task) throws Exception {
            return Tasks.await(submit(task));
        }

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        @Override
        public boolean inEventLoop(Thread candidate) {
            return candidate == thread;
        }

        @Override
        public void end() throws InterruptedException {
            tasks.add(STOP);
            thread.join(TimeUnit.SECONDS.toMillis(Tasks.TIMEOUT_SECONDS));
            assertTrue(!thread.isAlive(), "the executor's thread ends");
            termination.trySuccess(null);
        }

        @Override
        public boolean isShuttingDown() {
            return !thread.isAlive();
        }

        @Override
        public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
            tasks.add(STOP);
            return termination;
        }

        @Override
        public Future<?> terminationFuture() {
            return termination;
        }

        @Override
        @Deprecated
        public void shutdown() {
            tasks.add(STOP);
        }

        @Override
        public boolean isShutdown() {
            return !thread.isAlive();
        }

        @Override
        public boolean isTerminated() {
            return !thread.isAlive();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            thread.join(unit.toMillis(timeout));
            return !thread.isAlive();
        }
    }
}
