package io.apfmalloc.benchmarks.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.apfmalloc.core.ApfAllocator;
import io.apfmalloc.core.HeapAudit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every workload, briefly, on apfmalloc (both variants, on an allocator of its own so that an audit can account
 * for every block) and on each native allocator installed: the operations are counted as the workload says, every
 * free is of a live block, and every block allocated is freed by the end. Natives that are not installed (or, for
 * jemalloc, cannot be loaded without its glibc tunable) are skipped.
 */
class ClassicWorkloadTest {
    private static final int THREADS = 2;
    private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(40);
    /** Larson with small slot arrays and short thread lives (100 operations), so that threads are replaced. */
    private static final int LARSON_SLOTS = 100;
    private static final int LARSON_ROUNDS = 1;

    static List<Arguments> cases() {
        List<Workload> workloads = List.of(new ThreadTest(), new Larson(LARSON_SLOTS, LARSON_ROUNDS),
            new ProducerConsumer(), FalseSharing.active(), FalseSharing.passive());
        List<Arguments> cases = new ArrayList<>();
        for (Workload workload : workloads) {
            for (AllocatorKind kind : AllocatorKind.values()) {
                cases.add(Arguments.of(workload, kind));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void countsItsOperationsAndFreesEveryBlock(Workload workload, AllocatorKind kind) throws Exception {
        assumeTrue(kind.unavailability().isEmpty(), () -> kind.unavailability().orElseThrow());
        ApfAllocator apf = ApfAllocator.builder().build();
        ClassicAllocator tested = switch (kind) {
            case APF -> new ApfHeap(apf);
            case APF_CACHE -> new ApfBoundCaches(apf);
            default -> open(kind);
        };
        CountingAllocator counting = new CountingAllocator(tested);

        Measurement measurement = workload.run(counting, THREADS, RUN_NANOS);

        assertTrue(measurement.operations() > 0 && measurement.nanos() >= RUN_NANOS, measurement::toString);
        assertEquals(List.of(), List.copyOf(counting.problems()));
        assertEquals(0, counting.liveBlocks(), "blocks not freed");
        assertEquals(counting.mallocs(), counting.frees());
        assertEquals(expectedMallocs(workload, measurement.operations()), counting.mallocs(),
            "mallocs for " + measurement.operations() + " operations");
        if (workload instanceof Larson && measurement.operations() > (long) THREADS * LARSON_ROUNDS * LARSON_SLOTS) {
            // Some lane did more than one thread's share, so a second thread ran in it (beside set-up and clean-up).
            assertTrue(counting.views() > THREADS + 2, "threads were replaced: " + counting.views() + " views");
        }
        if (kind.isApf()) {
            apf.trim();
            HeapAudit audit = apf.audit(new long[0]);
            assertTrue(audit.isConsistent(), audit.problems()::toString);
            assertEquals(0, audit.allocationsWithUsers(), "apfmalloc's audit finds blocks still in use");
        }
    }

    /** What the workload allocates for {@code operations}: its operations, plus set-up for Larson and scratch. */
    private static long expectedMallocs(Workload workload, long operations) {
        return switch (workload.name()) {
            case "larson" -> operations + (1 + Larson.WARMUP_REPLACEMENTS) * (long) THREADS * LARSON_SLOTS;
            case "cache-scratch" -> operations + THREADS;
            default -> operations;
        };
    }

    private static ClassicAllocator open(AllocatorKind kind) {
        try {
            return kind.open();
        } catch (IllegalStateException e) {
            assumeTrue(false, e.getMessage());
            throw e;
        }
    }
}
