package io.apfmalloc.benchmarks.classic;

import java.util.List;
import java.util.Locale;

/**
 * One of the classic allocator benchmarks, ported to the JVM: its worker threads call a {@link ClassicAllocator}
 * for a given time and count their operations. Every block a run allocates is freed before it returns, and every
 * block is written to (at least one {@code long} at offset 0), so no allocation is dead code and first touches of
 * fresh memory are paid.
 */
public interface Workload {
    /** Returns the name used on command lines, in tables and in files. */
    String name();

    /** Returns what one operation is, for the report. */
    String operation();

    /** Returns how the thread count of the report's rows reads, e.g. {@code 2} or {@code 2+2}. */
    default String threadsLabel(int threads) {
        return String.valueOf(threads);
    }

    /**
     * Runs the workload with {@code threads} workers for about {@code nanos} and frees all it allocated.
     *
     * @throws IllegalStateException if a worker failed (an allocator returned 0, or threw)
     */
    Measurement run(ClassicAllocator allocator, int threads, long nanos) throws InterruptedException;

    /** Returns every workload, in report order. */
    static List<Workload> all() {
        return List.of(new ThreadTest(), new Larson(), new ProducerConsumer(), FalseSharing.active(),
            FalseSharing.passive());
    }

    /** Returns the workload called {@code name} (any case). */
    static Workload named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return all().stream().filter(workload -> workload.name().equals(wanted)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("workload: " + name + " (expected one of: "
                + all().stream().map(Workload::name).toList() + ")"));
    }
}
