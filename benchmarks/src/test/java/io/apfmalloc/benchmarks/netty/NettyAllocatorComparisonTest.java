package io.apfmalloc.benchmarks.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The comparison's shapes: unique ids, and the sets a run selects (the rest run by id or with {@code all}). */
class NettyAllocatorComparisonTest {
    private static List<String> idsOf(String set) {
        return NettyAllocatorComparison.shapes().stream().filter(shape -> shape.sets().contains(set))
            .map(NettyAllocatorComparison.Shape::id).toList();
    }

    @Test
    void idsAreUnique() {
        List<NettyAllocatorComparison.Shape> shapes = NettyAllocatorComparison.shapes();
        assertEquals(shapes.size(), shapes.stream().map(NettyAllocatorComparison.Shape::id).distinct().count());
    }

    @Test
    void defaultSetIsTheRunDocumentedSoFar() {
        assertEquals(List.of("steady", "steady-heap", "ar-256", "ar2-256", "ar-4k", "ar-64k", "cross-4k", "grow"),
            idsOf(NettyAllocatorComparison.DEFAULT_SET));
    }

    @Test
    void eventLoopSetHasEveryShapeOfTheIssueOnOneAndTwoThreads() {
        Set<String> loops = Set.copyOf(idsOf(NettyAllocatorComparison.EVENT_LOOP_SET));
        for (String size : List.of("64", "256", "1k", "4k", "16k")) {
            assertTrue(loops.containsAll(Set.of("ar-" + size, "ar2-" + size)), "allocate-release " + size);
        }
        for (String burst : List.of("256-fifo", "256-lifo", "16k-fifo", "16k-lifo")) {
            assertTrue(loops.containsAll(Set.of("burst-" + burst, "burst2-" + burst)), "burst " + burst);
        }
        assertTrue(loops.containsAll(Set.of("cross-1k", "cross-16k", "ints", "ints2", "bytes", "bytes2", "pipe",
            "pipe2")), loops.stream().sorted().collect(Collectors.joining(", ")));
        assertEquals(26, loops.size());
    }
}
