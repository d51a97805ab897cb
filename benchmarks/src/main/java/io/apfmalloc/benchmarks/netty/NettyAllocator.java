package io.apfmalloc.benchmarks.netty;

import io.apfmalloc.netty.ApfByteBufAllocator;
import io.apfmalloc.netty.ApfByteBufAllocatorMetric;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.PlatformDependent;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.stream.Stream;

/**
 * The allocators compared, each made fresh for a trial with the settings a Netty application gets by default,
 * preferring direct buffers.
 */
public enum NettyAllocator {
    /** Ours: {@link ApfByteBufAllocator} with its default settings. */
    APF {
        @Override
        ByteBufAllocator create() {
            return new ApfByteBufAllocator(true);
        }

        @Override
        void checkEventLoopCacheUsed(ByteBufAllocator allocator) {
            String thread = Thread.currentThread().getName();
            ApfByteBufAllocatorMetric metric = ((ApfByteBufAllocator) allocator).metric();
            boolean used = Stream.concat(metric.threadCaches().stream(), metric.heapThreadCaches().stream())
                .anyMatch(cache -> cache.owner().equals(thread)
                    && cache.bins().stream().anyMatch(bin -> bin.allocations() > 0));
            if (!used) {
                throw new IllegalStateException(thread + " allocated without an event-loop cache: " + metric);
            }
        }
    },
    /** Netty's {@link PooledByteBufAllocator}: arenas of chunks, thread caches on event loops. */
    POOLED {
        @Override
        ByteBufAllocator create() {
            return new PooledByteBufAllocator(true);
        }

        @Override
        void checkEventLoopCacheUsed(ByteBufAllocator allocator) {
            if (((PooledByteBufAllocator) allocator).metric().numThreadLocalCaches() == 0) {
                throw new IllegalStateException(Thread.currentThread().getName() + " has no pooled thread cache");
            }
        }
    },
    /** Netty 4.2's default {@link AdaptiveByteBufAllocator}: magazines, thread-local ones on event loops. */
    ADAPTIVE {
        @Override
        ByteBufAllocator create() {
            return new AdaptiveByteBufAllocator(true);
        }

        /** Adaptive has no public figure for it; checks the conditions under which it uses its local magazines. */
        @Override
        void checkEventLoopCacheUsed(ByteBufAllocator allocator) {
            if (ThreadExecutorMap.currentExecutor() == null
                || !FastThreadLocalThread.currentThreadWillCleanupFastThreadLocals()) {
                throw new IllegalStateException(Thread.currentThread().getName() + " is no event loop");
            }
        }
    },
    /** Netty's {@link UnpooledByteBufAllocator}: every buffer fresh from the JVM. */
    UNPOOLED {
        @Override
        ByteBufAllocator create() {
            return new UnpooledByteBufAllocator(true);
        }
    };

    /**
     * The system property that the runner sets to say which JVM mode a fork should be in ({@code true}: Netty with
     * {@code sun.misc.Unsafe}); when set, {@link #create()} checks Netty agrees.
     */
    static final String EXPECT_UNSAFE = "apfmalloc.bench.expectUnsafe";

    /** Makes a fresh allocator of this kind. */
    abstract ByteBufAllocator create();

    /**
     * Throws unless the calling thread allocated through its event-loop cache, where the allocator tells; a
     * benchmark calls it at the end of a trial on each of its threads.
     */
    void checkEventLoopCacheUsed(ByteBufAllocator allocator) {
    }

    /** Makes a fresh allocator after checking that Netty runs in the mode the runner asked for. */
    ByteBufAllocator createChecked() {
        String expected = System.getProperty(EXPECT_UNSAFE);
        if (expected != null && Boolean.parseBoolean(expected) != PlatformDependent.hasUnsafe()) {
            throw new IllegalStateException("Netty runs " + (PlatformDependent.hasUnsafe() ? "with" : "without")
                + " sun.misc.Unsafe, expected otherwise");
        }
        return create();
    }
}
