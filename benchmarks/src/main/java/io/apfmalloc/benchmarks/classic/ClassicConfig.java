package io.apfmalloc.benchmarks.classic;

import static io.apfmalloc.benchmarks.harness.Settings.booleanValue;
import static io.apfmalloc.benchmarks.harness.Settings.doubleValue;
import static io.apfmalloc.benchmarks.harness.Settings.intValue;
import static io.apfmalloc.benchmarks.harness.Settings.integers;
import static io.apfmalloc.benchmarks.harness.Settings.labels;
import static io.apfmalloc.benchmarks.harness.Settings.list;
import static io.apfmalloc.benchmarks.harness.Settings.listing;
import static io.apfmalloc.benchmarks.harness.Settings.outputDirectory;
import static io.apfmalloc.benchmarks.harness.Settings.words;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of a classic-benchmark run, each from a {@code classic.*} system property; an empty value means the
 * default. The defaults make the short run (about four minutes on two cores); {@code classic.long=true} (Maven:
 * {@code -Dlong}) changes the defaults of seconds, warm-ups and repeats to a run worth quoting (about 25 minutes).
 *
 * @param workloads  {@code classic.workloads}: {@code threadtest,larson,prod-cons,cache-thrash,cache-scratch}
 * @param allocators {@code classic.allocators}: {@code apf,apf-cache,glibc,jemalloc,mimalloc,tcmalloc}; ratios
 *                   are to the best of the native ones
 * @param threads    {@code classic.threads}: thread counts, {@code 1,2,4} (for prod-cons: pairs)
 * @param seconds    {@code classic.seconds}: each timed run, 0.4 by default (2 when long)
 * @param warmups    {@code classic.warmups}: unreported rounds per thread count before the measured ones, 1 (2)
 * @param repeats    {@code classic.repeats}: measured rounds per thread count, allocators interleaved, 3 (5)
 * @param jvmArgs    {@code classic.jvmArgs}: extra flags of the benchmark JVMs, space-separated, none by default
 *                   (e.g. {@code -XX:StartFlightRecording:filename=results/classic-%p.jfr})
 * @param results    {@code classic.results}: where the Markdown, CSV and log go, {@code results}
 */
public record ClassicConfig(List<Workload> workloads, List<AllocatorKind> allocators, List<Integer> threads,
                            double seconds, int warmups, int repeats, List<String> jvmArgs, Path results) {
    /** Checks the settings and copies the lists. */
    public ClassicConfig {
        workloads = List.copyOf(workloads);
        allocators = List.copyOf(allocators);
        threads = List.copyOf(threads);
        jvmArgs = List.copyOf(jvmArgs);
        if (workloads.isEmpty() || allocators.isEmpty() || threads.isEmpty()) {
            throw new IllegalArgumentException("workloads, allocators and threads must not be empty");
        }
        if (threads.stream().anyMatch(count -> count < 1) || repeats < 1 || warmups < 0 || !(seconds > 0)) {
            throw new IllegalArgumentException("threads: " + threads + ", repeats: " + repeats + ", warmups: "
                + warmups + ", seconds: " + seconds
                + " (expected: threads and repeats >= 1, warmups >= 0, seconds > 0)");
        }
    }

    /** Returns the settings from the {@code classic.*} system properties. */
    public static ClassicConfig fromSystemProperties() {
        boolean longRun = booleanValue("classic.long", false);
        return new ClassicConfig(
            list("classic.workloads", "threadtest,larson,prod-cons,cache-thrash,cache-scratch", Workload::named),
            labels("classic.allocators", "apf,apf-cache,glibc,jemalloc,mimalloc,tcmalloc", AllocatorKind.class),
            integers("classic.threads", "1,2,4"),
            doubleValue("classic.seconds", longRun ? 2 : 0.4),
            intValue("classic.warmups", longRun ? 2 : 1),
            intValue("classic.repeats", longRun ? 5 : 3),
            words("classic.jvmArgs"),
            outputDirectory("classic.results"));
    }

    /** Returns the nanoseconds of one timed run. */
    public long nanos() {
        return Math.round(seconds * 1e9);
    }

    /** Returns the settings as {@code classic.*} properties, for the report. */
    public Map<String, String> asProperties() {
        return listing()
            .list("classic.workloads", workloads.stream().map(Workload::name).toList())
            .list("classic.allocators", allocators)
            .list("classic.threads", threads)
            .value("classic.seconds", seconds)
            .value("classic.warmups", warmups)
            .value("classic.repeats", repeats)
            .words("classic.jvmArgs", jvmArgs)
            .properties();
    }
}
