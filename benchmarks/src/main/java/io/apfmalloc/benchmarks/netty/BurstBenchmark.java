package io.apfmalloc.benchmarks.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Bursts on an event loop: {@value #BURST} direct buffers allocated back to back (a loop reading a burst of
 * messages before any write completes), then all released, first-in first-out (writes completing in order) or
 * last-in first-out (a stack of temporaries unwound). A burst outgrows a small per-thread cache, so the allocator's
 * refill and flush paths count, and the release order decides whether freed blocks come back in the order they were
 * handed out. The score is buffers per second.
 */
@State(Scope.Benchmark)
public class BurstBenchmark extends EventLoopBenchmark {
    /** Buffers per burst. */
    static final int BURST = 512;

    /** The order a burst's buffers are released in. */
    public enum ReleaseOrder {
        /** The first allocated is released first. */
        FIFO,
        /** The last allocated is released first. */
        LIFO
    }

    /** Every buffer's capacity in bytes. */
    @Param({"256", "16384"})
    public int size;

    /** The release order. */
    @Param({"FIFO", "LIFO"})
    public ReleaseOrder order;

    /** One thread's burst, whose array is reused. */
    @State(Scope.Thread)
    public static class Burst {
        private final ByteBuf[] held = new ByteBuf[BURST];
    }

    /** One thread allocating and releasing bursts. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BURST)
    public int oneThread(AllocatorUnderTest allocator, Burst burst, EventLoopCacheCheck check) {
        return burst(allocator.buffers(), burst.held);
    }

    /** Two threads, each with bursts of its own. */
    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BURST)
    public int twoThreads(AllocatorUnderTest allocator, Burst burst, EventLoopCacheCheck check) {
        return burst(allocator.buffers(), burst.held);
    }

    /** Allocates a burst into {@code held}, releases it in {@link #order}; returns a capacity so nothing is dead. */
    private int burst(ByteBufAllocator buffers, ByteBuf[] held) {
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
