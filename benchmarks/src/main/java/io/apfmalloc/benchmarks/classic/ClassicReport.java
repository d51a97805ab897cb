package io.apfmalloc.benchmarks.classic;

import io.apfmalloc.benchmarks.harness.Csv;
import io.apfmalloc.benchmarks.harness.Statistics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The tables of a classic-benchmark run: throughput per workload, thread count and allocator (median of the
 * repeats, with their spread), apfmalloc's ratio to the best native allocator, and the benchmark JVMs' resident
 * sets; also the runs as CSV.
 */
public final class ClassicReport {
    /** The CSV file's columns, one line per measured run. */
    static final List<String> CSV_COLUMNS = List.of("workload", "threads", "allocator", "repeat", "operations",
        "nanos", "ops_per_s", "peak_rss_bytes", "rss_after_bytes");

    private final ClassicConfig config;
    private final List<AllocatorKind> allocators;
    private final List<RunRecord> runs;
    private final List<String> notes;
    private final Map<String, String> environment;

    /**
     * Makes the report of {@code runs}.
     *
     * @param allocators  the columns: the allocators that ran, in the configured order
     * @param notes       what was skipped or failed, one line each
     * @param environment date, machine, JVM, load averages, duration: shown under the tables
     */
    ClassicReport(ClassicConfig config, List<AllocatorKind> allocators, List<RunRecord> runs, List<String> notes,
                  Map<String, String> environment) {
        this.config = config;
        this.allocators = List.copyOf(allocators);
        this.runs = List.copyOf(runs);
        this.notes = List.copyOf(notes);
        this.environment = Map.copyOf(environment);
    }

    /** Returns the measured runs. */
    List<RunRecord> runs() {
        return runs;
    }

    /**
     * Returns the main table: millions of operations per second, median over the repeats ± half their range as a
     * percentage of the median, and apfmalloc's ratios (each variant's median ÷ the best native median).
     */
    public String throughputTable() {
        List<AllocatorKind> apf = allocators.stream().filter(AllocatorKind::isApf).toList();
        StringBuilder out = new StringBuilder("| workload | threads |");
        allocators.forEach(kind -> out.append(' ').append(kind.label()).append(" |"));
        out.append(" best native |");
        apf.forEach(kind -> out.append(' ').append(kind.label()).append(" ÷ best |"));
        out.append("\n|---|---:|").append("---:|".repeat(allocators.size())).append("---|")
            .append("---:|".repeat(apf.size())).append('\n');
        for (Workload workload : config.workloads()) {
            for (int threads : config.threads()) {
                if (cell(workload, threads, allocators.getFirst()).isEmpty()) {
                    continue;
                }
                out.append("| ").append(workload.name()).append(" | ").append(workload.threadsLabel(threads))
                    .append(" |");
                for (AllocatorKind kind : allocators) {
                    out.append(' ').append(formatThroughput(cell(workload, threads, kind))).append(" |");
                }
                Optional<AllocatorKind> best = bestNative(workload, threads);
                out.append(' ').append(best.map(AllocatorKind::label).orElse("–")).append(" |");
                for (AllocatorKind kind : apf) {
                    out.append(' ').append(best.map(b -> ratio(workload, threads, kind, b)).orElse("–")).append(" |");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** Returns the resident-set table: peak during the run and after it, MiB, medians over the repeats. */
    public String memoryTable() {
        StringBuilder out = new StringBuilder("| workload | threads |");
        allocators.forEach(kind -> out.append(' ').append(kind.label()).append(" |"));
        out.append("\n|---|---:|").append("---:|".repeat(allocators.size())).append('\n');
        for (Workload workload : config.workloads()) {
            for (int threads : config.threads()) {
                out.append("| ").append(workload.name()).append(" | ").append(workload.threadsLabel(threads))
                    .append(" |");
                for (AllocatorKind kind : allocators) {
                    List<RunResult> cell = cell(workload, threads, kind);
                    out.append(cell.isEmpty() ? " –" : String.format(Locale.ROOT, " %.0f (%.0f)",
                        median(cell, result -> result.peakRssBytes() / 1048576.0),
                        median(cell, result -> result.rssAfterBytes() / 1048576.0))).append(" |");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** Returns the whole report in Markdown: both tables, what each workload's operation is, settings and notes. */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("## Classic allocator benchmarks\n\n");
        out.append("Millions of operations per second, median of ").append(config.repeats())
            .append(" repeats ± half their range (as % of the median); ratios: apfmalloc's median ÷ the best native"
                + " allocator's (> 1: apfmalloc is faster).\n\n");
        out.append(throughputTable()).append('\n');
        out.append("Resident set of each benchmark JVM (Java heap and JIT included), MiB: the peak during the run"
            + " (VmHWM, reset before it) and, in brackets, the resident set after the run freed everything.\n\n");
        out.append(memoryTable()).append('\n');
        out.append("What one operation is:\n\n");
        for (Workload workload : config.workloads()) {
            out.append("- ").append(workload.name()).append(": ").append(workload.operation()).append('\n');
        }
        out.append('\n').append("Settings: ");
        config.asProperties().forEach((name, value) -> out.append('`').append(name).append('=').append(value)
            .append("` "));
        out.append('\n');
        environment.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(entry -> out.append("- ").append(entry.getKey()).append(": ").append(entry.getValue())
                .append('\n'));
        notes.forEach(note -> out.append("- note: ").append(note).append('\n'));
        return out.toString();
    }

    /** Writes one CSV line per measured run, with a header. */
    void writeCsv(Path file) throws IOException {
        Csv.write(file, CSV_COLUMNS, runs.stream().map(run -> List.of(run.workload(), run.threads(),
            run.allocator().label(), run.repeat(), run.result().operations(), run.result().nanos(),
            String.format(Locale.ROOT, "%.1f", run.result().operationsPerSecond()), run.result().peakRssBytes(),
            run.result().rssAfterBytes())).toList());
    }

    private List<RunResult> cell(Workload workload, int threads, AllocatorKind kind) {
        return runs.stream().filter(run -> run.workload().equals(workload.name()) && run.threads() == threads
            && run.allocator() == kind).map(RunRecord::result).toList();
    }

    private Optional<AllocatorKind> bestNative(Workload workload, int threads) {
        return allocators.stream().filter(kind -> !kind.isApf() && !cell(workload, threads, kind).isEmpty())
            .max(Comparator.comparingDouble(kind -> median(cell(workload, threads, kind),
                RunResult::operationsPerSecond)));
    }

    private String ratio(Workload workload, int threads, AllocatorKind kind, AllocatorKind best) {
        List<RunResult> cell = cell(workload, threads, kind);
        if (cell.isEmpty()) {
            return "–";
        }
        return threeDigits(median(cell, RunResult::operationsPerSecond)
            / median(cell(workload, threads, best), RunResult::operationsPerSecond)) + "×";
    }

    private static String formatThroughput(List<RunResult> cell) {
        if (cell.isEmpty()) {
            return "–";
        }
        double median = median(cell, RunResult::operationsPerSecond);
        double min = cell.stream().mapToDouble(RunResult::operationsPerSecond).min().orElseThrow();
        double max = cell.stream().mapToDouble(RunResult::operationsPerSecond).max().orElseThrow();
        return threeDigits(median / 1e6) + String.format(Locale.ROOT, " ±%.0f%%", 50 * (max - min) / median);
    }

    /** Returns the median of {@code value} over {@code cell}'s runs. */
    private static double median(List<RunResult> cell, ToDoubleFunction<RunResult> value) {
        return Statistics.median(cell.stream().mapToDouble(value).toArray());
    }

    /** Formats {@code value} with about three significant digits. */
    static String threeDigits(double value) {
        String format = value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : value >= 1 ? "%.2f" : "%.3g";
        return String.format(Locale.ROOT, format, value);
    }
}
