package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.BinStats;
import io.apfmalloc.core.ThreadCacheStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * An event loop that stops allocating gives its cached blocks back by itself, and once every loop is idle the
 * allocator returns everything it kept for reuse: an idle server's memory goes back to the OS without a trim call.
 * A loop that keeps allocating is left alone. (Waits are bounded safety nets, not timing assertions.)
 */
class IdleTrimTest {
    private static final long DEADLINE_MILLIS = 30_000;

    @Test
    void idleLoopsGiveEveryByteBack() throws Exception {
        ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().idleTrimMillis(100).build();
        EventLoopGroup group = group("idle-trim");
        try {
            for (EventLoop loop : List.of((EventLoop) group.next(), (EventLoop) group.next())) {
                Tasks.await(loop.submit(() -> burst(allocator)));
            }
            assertTrue(allocator.metric().usedDirectMemory() > 0, "the burst's blocks are cached or retained");
            assertEquals(0, eventually(() -> allocator.metric().usedDirectMemory()),
                "idle loops must give back their caches, and the allocator its retained superblocks");
            assertEquals(0, eventually(() -> allocator.metric().usedHeapMemory()));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void withoutIdleTrimsTheCachesStay() throws Exception {
        ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().idleTrimMillis(0).build();
        EventLoopGroup group = group("no-idle-trim");
        try {
            Tasks.await(group.next().submit(() -> burst(allocator)));
            long held = allocator.metric().usedDirectMemory();
            Thread.sleep(500);
            assertEquals(held, allocator.metric().usedDirectMemory(), "nothing trims when the checks are off");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aLoopThatKeepsAllocatingKeepsItsCache() throws Exception {
        ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().idleTrimMillis(500).build();
        EventLoopGroup group = group("busy-trim");
        EventLoop idle = (EventLoop) group.next();
        EventLoop busy = (EventLoop) group.next();
        AtomicBoolean running = new AtomicBoolean(true);
        try {
            Tasks.await(idle.submit(() -> burst(allocator)));
            keepAllocating(allocator, busy, running);
            String idleName = Tasks.await(idle.submit(() -> Thread.currentThread().getName()));
            String busyName = Tasks.await(busy.submit(() -> Thread.currentThread().getName()));
            assertEquals(0, eventually(() -> binFigure(allocator, idleName, BinStats::cachedBlocks)),
                "the idle loop gives its cache back");
            Thread.sleep(1_500);
            assertEquals(1, binFigure(allocator, busyName, BinStats::fetches),
                "the busy loop was never trimmed: it never had to fetch its block again");
            running.set(false);
            assertEquals(0, eventually(() -> binFigure(allocator, busyName, BinStats::cachedBlocks)),
                "once it stops allocating, the checks that ran on it all along give its cache back too");
        } finally {
            running.set(false);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static EventLoopGroup group(String name) {
        return new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory(name), NioIoHandler.newFactory());
    }

    /** Allocates buffers of several classes, direct and heap, and releases them all: their blocks stay cached. */
    private static Void burst(ApfByteBufAllocator allocator) {
        List<ByteBuf> buffers = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int size = 64 << (i % 8);
            buffers.add(i % 4 == 0 ? allocator.heapBuffer(size) : allocator.directBuffer(size));
        }
        buffers.forEach(ByteBuf::release);
        return null;
    }

    /**
     * Allocates and releases a buffer on {@code loop} over and over while {@code running}, in short tasks: Netty runs
     * a loop's scheduled tasks (the idle checks among them) between its other tasks.
     */
    private static void keepAllocating(ApfByteBufAllocator allocator, EventLoop loop, AtomicBoolean running) {
        loop.execute(() -> {
            for (int i = 0; i < 20; i++) {
                allocator.directBuffer(256).release();
            }
            if (running.get()) {
                keepAllocating(allocator, loop, running);
            }
        });
    }

    /** Returns {@code figure} summed over the bins of the direct cache of the loop named {@code owner}. */
    private static long binFigure(ApfByteBufAllocator allocator, String owner, ToLongFunction<BinStats> figure) {
        return allocator.metric().threadCaches().stream().filter(cache -> cache.owner().equals(owner))
            .map(ThreadCacheStats::bins).flatMap(List::stream).mapToLong(figure).sum();
    }

    /** Polls {@code figure} until it reads 0 or the deadline passes; returns the last reading. */
    private static long eventually(LongSupplier figure) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        long value = figure.getAsLong();
        while (value != 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            value = figure.getAsLong();
        }
        return value;
    }
}
