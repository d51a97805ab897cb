package io.apfmalloc.benchmarks;

import io.apfmalloc.benchmarks.harness.Labelled;
import io.apfmalloc.netty.ApfByteBufAllocator;
import io.apfmalloc.netty.ApfByteBufAllocatorMetric;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.PlatformDependent;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.stream.Stream;

/**
 * The allocators every benchmark compares: ours and Netty's three, each made fresh with the settings a Netty
 * application gets by default, preferring direct buffers (as Netty's shared instances do on JDK 25, in either
 * {@link JvmMode}).
 */
public enum ComparedAllocator implements Labelled {
    /** Ours: {@link ApfByteBufAllocator} with its default settings. */
    APF {
        @Override
        public ByteBufAllocator create() {
            return new ApfByteBufAllocator(true);
        }

        @Override
        public void trimOnEventLoop(ByteBufAllocator allocator) {
            ((ApfByteBufAllocator) allocator).trim();
        }

        @Override
        public void checkEventLoopCacheUsed(ByteBufAllocator allocator) {
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
        public ByteBufAllocator create() {
            return new PooledByteBufAllocator(true);
        }

        @Override
        public void trimOnEventLoop(ByteBufAllocator allocator) {
            ((PooledByteBufAllocator) allocator).trimCurrentThreadCache();
        }

        @Override
        public void checkEventLoopCacheUsed(ByteBufAllocator allocator) {
            if (((PooledByteBufAllocator) allocator).metric().numThreadLocalCaches() == 0) {
                throw new IllegalStateException(Thread.currentThread().getName() + " has no pooled thread cache");
            }
        }
    },
    /** Netty 4.2's default {@link AdaptiveByteBufAllocator}: magazines, thread-local ones on event loops. */
    ADAPTIVE {
        @Override
        public ByteBufAllocator create() {
            return new AdaptiveByteBufAllocator(true);
        }

        /** Adaptive has no public figure for it; checks the conditions under which it uses its local magazines. */
        @Override
        public void checkEventLoopCacheUsed(ByteBufAllocator allocator) {
            if (ThreadExecutorMap.currentExecutor() == null
                || !FastThreadLocalThread.currentThreadWillCleanupFastThreadLocals()) {
                throw new IllegalStateException(Thread.currentThread().getName() + " is no event loop");
            }
        }
    },
    /** Netty's {@link UnpooledByteBufAllocator}: every buffer fresh from the JVM. */
    UNPOOLED {
        @Override
        public ByteBufAllocator create() {
            return new UnpooledByteBufAllocator(true);
        }
    };

    /**
     * The system property a runner sets to say which JVM mode a child should be in ({@code true}: Netty's
     * fast mode, {@link JvmMode#FAST}); when set, {@link #createChecked()} checks Netty agrees.
     */
    public static final String EXPECT_UNSAFE = "apfmalloc.bench.expectUnsafe";

    /** Makes a fresh allocator of this kind. */
    public abstract ByteBufAllocator create();

    /**
     * Throws unless the calling thread allocated through its event-loop cache, where the allocator tells; a
     * benchmark calls it at the end of a trial on each of its threads. Unpooled has no cache: nothing to check.
     */
    public void checkEventLoopCacheUsed(ByteBufAllocator allocator) {
    }

    /**
     * Gives back what the allocator lets a caller give back from this event loop: ours flushes the loop's caches
     * and the shared stripes and returns wholly free superblocks to the OS ({@code trim()}); pooled empties the
     * loop's thread cache ({@code trimCurrentThreadCache()}). Adaptive and unpooled have nothing of the kind.
     */
    public void trimOnEventLoop(ByteBufAllocator allocator) {
    }

    /** Makes a fresh allocator after checking that Netty runs in the mode {@link #EXPECT_UNSAFE} asks for. */
    public ByteBufAllocator createChecked() {
        String expected = System.getProperty(EXPECT_UNSAFE);
        if (expected != null && Boolean.parseBoolean(expected) != PlatformDependent.hasUnsafe()) {
            throw new IllegalStateException("Netty runs " + (PlatformDependent.hasUnsafe() ? "with" : "without")
                + " its fast mode, expected otherwise");
        }
        return create();
    }

    /**
     * Returns the memory {@code allocator} holds by its own metric: {@code usedDirectMemory + usedHeapMemory}
     * (pools' chunks and superblocks, with their free space; live buffers for the unpooled one).
     */
    public static long heldBytes(ByteBufAllocator allocator) {
        ByteBufAllocatorMetric metric = ((ByteBufAllocatorMetricProvider) allocator).metric();
        return metric.usedDirectMemory() + metric.usedHeapMemory();
    }

    /** Returns the allocator named {@code label} (any case). */
    public static ComparedAllocator of(String label) {
        return Labelled.parse(ComparedAllocator.class, "allocator", label);
    }
}
