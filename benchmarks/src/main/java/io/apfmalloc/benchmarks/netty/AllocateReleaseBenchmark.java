package io.apfmalloc.benchmarks.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Allocates a direct buffer and releases it at once, on one event-loop thread and on two: the cost of the
 * allocator's fast path (its thread cache), with no memory live between operations.
 */
@State(Scope.Benchmark)
public class AllocateReleaseBenchmark extends EventLoopBenchmark {
    /** The buffer's capacity in bytes. */
    @Param({"64", "256", "1024", "4096", "16384", "65536"})
    public int size;

    /** One thread allocating and releasing. */
    @Benchmark
    @Threads(1)
    public boolean oneThread(AllocatorUnderTest allocator, EventLoopCacheCheck check) {
        return allocateRelease(allocator.buffers());
    }

    /** Two threads, each allocating and releasing its own buffers. */
    @Benchmark
    @Threads(2)
    public boolean twoThreads(AllocatorUnderTest allocator, EventLoopCacheCheck check) {
        return allocateRelease(allocator.buffers());
    }

    private boolean allocateRelease(ByteBufAllocator buffers) {
        ByteBuf buffer = buffers.directBuffer(size);
        return buffer.release();
    }
}
