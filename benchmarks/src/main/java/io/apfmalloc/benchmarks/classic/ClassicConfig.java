package io.apfmalloc.benchmarks.classic;

import io.apfmalloc.benchmarks.harness.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
        boolean longRun = Boolean.parseBoolean(Settings.property("classic.long", "false"));
        return new ClassicConfig(
            Settings.list("classic.workloads", "threadtest,larson,prod-cons,cache-thrash,cache-scratch",
                Workload::named),
            Settings.labels("classic.allocators", "apf,apf-cache,glibc,jemalloc,mimalloc,tcmalloc",
                AllocatorKind.class),
            Settings.list("classic.threads", "1,2,4", Integer::valueOf),
            Double.parseDouble(Settings.property("classic.seconds", longRun ? "2" : "0.4")),
            Integer.parseInt(Settings.property("classic.warmups", longRun ? "2" : "1")),
            Integer.parseInt(Settings.property("classic.repeats", longRun ? "5" : "3")),
            Settings.words("classic.jvmArgs"),
            Path.of(Settings.property("classic.results", "results")));
    }

    /** Returns the nanoseconds of one timed run. */
    public long nanos() {
        return Math.round(seconds * 1e9);
    }

    /** Returns the settings as {@code classic.*} properties, for the report. */
    public Map<String, String> asProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("classic.workloads", workloads.stream().map(Workload::name).collect(Collectors.joining(",")));
        properties.put("classic.allocators", allocators.stream().map(AllocatorKind::label)
            .collect(Collectors.joining(",")));
        properties.put("classic.threads", threads.stream().map(String::valueOf).collect(Collectors.joining(",")));
        properties.put("classic.seconds", String.valueOf(seconds));
        properties.put("classic.warmups", String.valueOf(warmups));
        properties.put("classic.repeats", String.valueOf(repeats));
        properties.put("classic.jvmArgs", String.join(" ", jvmArgs));
        return properties;
    }
}
