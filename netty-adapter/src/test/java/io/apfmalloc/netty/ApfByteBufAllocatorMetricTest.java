package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.BinStats;
import io.apfmalloc.core.ThreadCacheStats;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The metric's figures: live bytes, held memory, per-cache and per-class APF state. */
class ApfByteBufAllocatorMetricTest {
    private final ApfByteBufAllocator allocator = new ApfByteBufAllocator(true);
    private final ApfByteBufAllocatorMetric metric = allocator.metric();

    @Test
    void liveFiguresFollowAllocationResizeAndRelease() {
        ByteBuf direct = allocator.directBuffer(1000);
        ByteBuf heap = allocator.heapBuffer(500);
        assertEquals(1000, metric.liveDirectBytes());
        assertEquals(1, metric.liveDirectBuffers());
        assertEquals(500, metric.liveHeapBytes());
        assertEquals(1, metric.liveHeapBuffers());
        assertTrue(metric.usedHeapMemory() >= 500);
        assertTrue(metric.usedDirectMemory() >= 1000);

        direct.capacity(5000);
        heap.capacity(700);
        assertEquals(5000, metric.liveDirectBytes());
        assertEquals(700, metric.liveHeapBytes());

        direct.release();
        heap.release();
        assertEquals(0, metric.liveDirectBytes());
        assertEquals(0, metric.liveDirectBuffers());
        assertEquals(0, metric.liveHeapBytes());
        assertEquals(metric.usedDirectMemory(), metric.directStats().mappedBytes());
        assertEquals(metric.usedHeapMemory(), metric.heapStats().mappedBytes());
        allocator.trim();
        assertEquals(0, metric.usedDirectMemory());
        assertEquals(0, metric.usedHeapMemory());
        assertTrue(metric.toString().contains("liveDirectBytes: 0"), metric.toString());
    }

    /** An event loop counts in figures of its own; they outlive the loop, and releases elsewhere net out. */
    @Test
    void liveFiguresCountEventLoopsAndOutliveThem() throws InterruptedException {
        List<ByteBuf> kept = new ArrayList<>();
        Thread loop = new FastThreadLocalThread(() -> {
            for (int i = 0; i < 3; i++) {
                kept.add(allocator.directBuffer(1000));
            }
            kept.removeFirst().release();
            kept.getFirst().capacity(3000);
        }, "apf-count-loop");
        loop.start();
        loop.join();
        assertEquals(2, metric.liveDirectBuffers());
        assertEquals(4000, metric.liveDirectBytes());
        kept.forEach(ByteBuf::release);
        assertEquals(0, metric.liveDirectBuffers());
        assertEquals(0, metric.liveDirectBytes());
    }

    /** An event loop's cache is listed under its thread's name, with the APF tuner's figures per size class. */
    @Test
    void anEventLoopCacheShowsItsTuning() throws InterruptedException {
        int rounds = 20_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread loop = new FastThreadLocalThread(() -> {
            try {
                List<ByteBuf> held = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    held.add(allocator.directBuffer(1024));
                    held.add(allocator.heapBuffer(512));
                    if (held.size() == 128) {
                        held.forEach(ByteBuf::release);
                        held.clear();
                    }
                }
                held.forEach(ByteBuf::release);
                ThreadCacheStats own = metric.threadCaches().stream()
                    .filter(cache -> cache.owner().equals("apf-metric-loop")).findFirst().orElseThrow();
                BinStats bin = own.bins().stream().filter(b -> b.blockSize() == 1024).findFirst().orElseThrow();
                assertEquals(rounds, bin.allocations());
                assertTrue(bin.fetches() > 0 && bin.allocationsPerFetch() > 1, bin.toString());
                ApfByteBufAllocatorMetric.SizeClass total = metric.sizeClasses().stream()
                    .filter(c -> c.blockSize() == 1024).findFirst().orElseThrow();
                assertTrue(total.allocations() >= rounds, total.toString());
                assertTrue(total.allocationsPerFetch() > 1, total.toString());
                BinStats heapBin = metric.heapThreadCaches().stream()
                    .filter(cache -> cache.owner().equals("apf-metric-loop")).findFirst().orElseThrow()
                    .bins().stream().filter(b -> b.blockSize() == 512).findFirst().orElseThrow();
                assertEquals(rounds, heapBin.allocations());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "apf-metric-loop");
        loop.start();
        loop.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(metric.threadCaches().stream().noneMatch(cache -> cache.owner().equals("apf-metric-loop")),
            "the cache closed when the thread's locals were removed");
    }
}
