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
 * Allocate and grow: a buffer of Netty's default initial capacity (256 B) written past its capacity in 512-byte
 * chunks until it holds {@code finalSize} bytes, then released. {@code ensureWritable} first grows into the
 * block's spare room ({@code maxFastWritableBytes}) and then reallocates, as an encoder building a message does.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {EventLoopExecutor.EXECUTOR_TYPE, EventLoopExecutor.EXECUTOR_CLASS,
    EventLoopExecutor.NATIVE_ACCESS, EventLoopExecutor.HEAP})
@Threads(1)
@State(Scope.Benchmark)
public class AllocateAndGrowBenchmark {
    private static final int CHUNK = 512;

    /** The allocator under test. */
    @Param({"APF", "POOLED", "ADAPTIVE", "UNPOOLED"})
    public ComparedAllocator allocator;

    /** The bytes written into each buffer. */
    @Param({"16384"})
    public int finalSize;

    private final byte[] chunk = new byte[CHUNK];
    private ByteBufAllocator buffers;

    /** Makes a fresh allocator for the trial. */
    @Setup(Level.Trial)
    public void createAllocator() {
        buffers = allocator.createChecked();
    }

    /** Checks, on the benchmark thread, that the allocator served it through its event-loop cache. */
    @State(Scope.Thread)
    public static class CacheCheck {
        /** Runs on the benchmark thread once its trial ends. */
        @TearDown(Level.Trial)
        public void check(AllocateAndGrowBenchmark benchmark) {
            benchmark.allocator.checkEventLoopCacheUsed(benchmark.buffers);
        }
    }

    /** Allocates a 256-byte buffer, writes {@code finalSize} bytes into it, releases it. */
    @Benchmark
    public boolean grow(CacheCheck check) {
        ByteBuf buffer = buffers.directBuffer();
        for (int written = 0; written < finalSize; written += CHUNK) {
            buffer.writeBytes(chunk);
        }
        return buffer.release();
    }
}
