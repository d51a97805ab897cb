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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Allocates a direct buffer and releases it at once, on one event-loop thread and on two: the cost of the
 * allocator's fast path (its thread cache), with no memory live between operations.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {EventLoopExecutor.EXECUTOR_TYPE, EventLoopExecutor.EXECUTOR_CLASS,
    EventLoopExecutor.NATIVE_ACCESS, EventLoopExecutor.HEAP})
@State(Scope.Benchmark)
public class AllocateReleaseBenchmark {
    /** The allocator under test. */
    @Param({"APF", "POOLED", "ADAPTIVE", "UNPOOLED"})
    public ComparedAllocator allocator;

    /** The buffer's capacity in bytes. */
    @Param({"64", "256", "1024", "4096", "16384", "65536"})
    public int size;

    private ByteBufAllocator buffers;

    /** Makes a fresh allocator for the trial. */
    @Setup(Level.Trial)
    public void createAllocator() {
        buffers = allocator.createChecked();
    }

    /** Checks, on each benchmark thread, that the allocator served it through its event-loop cache. */
    @State(Scope.Thread)
    public static class CacheCheck {
        /** Runs on the benchmark thread once its trial ends. */
        @TearDown(Level.Trial)
        public void check(AllocateReleaseBenchmark benchmark) {
            benchmark.allocator.checkEventLoopCacheUsed(benchmark.buffers);
        }
    }

    /** One thread allocating and releasing. */
    @Benchmark
    @Threads(1)
    public boolean oneThread(CacheCheck check) {
        return allocateRelease();
    }

    /** Two threads, each allocating and releasing its own buffers. */
    @Benchmark
    @Threads(2)
    public boolean twoThreads(CacheCheck check) {
        return allocateRelease();
    }

    private boolean allocateRelease() {
        ByteBuf buffer = buffers.directBuffer(size);
        return buffer.release();
    }
}
