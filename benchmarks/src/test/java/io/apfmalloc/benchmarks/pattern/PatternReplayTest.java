package io.apfmalloc.benchmarks.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.EventLoops;
import io.apfmalloc.netty.ApfByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A tiny replay of each mix on two event loops, in this JVM, with every allocator: figures and clean-up. */
class PatternReplayTest {
    @RegisterExtension
    static final EventLoops LOOPS = new EventLoops(2, "pattern-test-loop");

    @ParameterizedTest
    @EnumSource(ComparedAllocator.class)
    void replaysCountOperationsSampleMemoryAndReleaseEverything(ComparedAllocator kind) throws Exception {
        for (TrafficMix mix : TrafficMix.values()) {
            ByteBufAllocator allocator = kind.create();
            ReplayCell cell = new ReplayCell(mix, 64, 2, 0.05, 0.15);
            List<String> phases = new ArrayList<>();

            ReplayResult result = Replay.run(kind, allocator, LOOPS.loops(), cell, phases::add);

            assertEquals(List.of("fill", "warmup", "measure", "release"), phases);
            assertTrue(result.operations() > 0 && result.threadNanos() > 0 && result.cpuNanos() > 0, "" + result);
            assertTrue(result.nanosPerOperation() > 0 && Double.isFinite(result.cpuNanosPerOperation()));
            double expected = cell.expectedLiveBytes();
            assertTrue(result.liveBytes() > expected / 4 && result.liveBytes() < expected * 4,
                "live bytes near 2 × 64 × the mean size: " + result.liveBytes() + " vs " + expected);
            assertTrue(result.peakRssBytes() > 0 && result.baseRssBytes() > 0, "resident set sampled: " + result);
            assertTrue(result.peakHeldBytes() > 0, "held memory sampled: " + result);
            assertTrue(result.heldAfterRelease() >= 0 && result.rssAfterRelease() > 0, "" + result);
            assertEquals(0, liveBuffers(kind, allocator), "every buffer released");
        }
    }

    /**
     * Returns what {@code allocator} still counts as live, where its metric tells: ours counts live buffers, unpooled
     * holds only live buffers. Pooled's arena counts include blocks in the loops' caches, adaptive has no count.
     */
    private static long liveBuffers(ComparedAllocator kind, ByteBufAllocator allocator) {
        return switch (kind) {
            case APF -> ((ApfByteBufAllocator) allocator).metric().liveDirectBuffers();
            case UNPOOLED -> ComparedAllocator.heldBytes(allocator);
            case POOLED, ADAPTIVE -> 0;
        };
    }
}
