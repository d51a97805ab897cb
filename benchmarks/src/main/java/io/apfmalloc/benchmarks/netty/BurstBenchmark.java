package io.apfmalloc.benchmarks.netty;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bursts on an event loop: {@value #BURST} direct buffers allocated back to back (a loop reading a burst of
 * messages before any write completes), then all released, first-in first-out (writes completing in order) or
 * last-in first-out (a stack of temporaries unwound). A burst outgrows a small per-thread cache, so the allocator's
 * refill and flush paths count, and the release order decides whether freed blocks come back in the order they were
 * handed out. The score is buffers per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {EventLoopExecutor.EXECUTOR_TYPE, EventLoopExecutor.EXECUTOR_CLASS,
    EventLoopExecutor.NATIVE_ACCESS, EventLoopExecutor.HEAP})
@State(Scope.Benchmark)
public class BurstBenchmark {
    /** Buffers per burst. */
    static final int BURST = 512;

    /** The order a burst's buffers are released in. */
    public enum ReleaseOrder {
        /** The first allocated is released first. */
        FIFO,
        /** The last allocated is released first. */
        LIFO
    }

    /** The allocator under test. */
    @Param({"APF", "POOLED", "ADAPTIVE", "UNPOOLED"})
    public ComparedAllocator allocator;

    /** Every buffer's capacity in bytes. */
    @Param({"256", "16384"})
    public int size;

    /** The release order. */
    @Param({"FIFO", "LIFO"})
    public ReleaseOrder order;

    private ByteBufAllocator buffers;

    /** Makes a fresh allocator for the trial. */
    @Setup(Level.Trial)
    public void createAllocator() {
        buffers = allocator.createChecked();
    }

    /** One thread's burst, whose array is reused; checks at the end that the thread used its event-loop cache. */
    @State(Scope.Thread)
    public static class Burst {
        private final ByteBuf[] held = new ByteBuf[BURST];

        /** Runs on the benchmark thread once its trial ends. */
        @TearDown(Level.Trial)
        public void check(BurstBenchmark benchmark) {
            benchmark.allocator.checkEventLoopCacheUsed(benchmark.buffers);
        }
    }

    /** One thread allocating and releasing bursts. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BURST)
    public int oneThread(Burst burst) {
        return burst(burst.held);
    }

    /** Two threads, each with bursts of its own. */
    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BURST)
    public int twoThreads(Burst burst) {
        return burst(burst.held);
    }

    /** Allocates a burst into {@code held}, releases it in {@link #order}; returns a capacity so nothing is dead. */
    private int burst(ByteBuf[] held) {
        for (int i = 0; i < BURST; i++) {
            held[i] = buffers.directBuffer(size);
        }
        int capacities = 0;
        for (int n = 0; n < BURST; n++) {
            int i = order == ReleaseOrder.FIFO ? n : BURST - 1 - n;
            capacities += held[i].capacity();
            held[i].release();
            held[i] = null;
        }
        return capacities;
    }
}
