package io.apfmalloc.benchmarks.pattern;

import static io.apfmalloc.benchmarks.harness.Statistics.median;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.harness.Csv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The results of an allocation-pattern benchmark: the runs, their medians per configuration and allocator
 * ({@link Cell}) with the ratios to the best peer and to adaptive, and their forms: Markdown tables and a CSV.
 */
public final class PatternReport {
    /** The target for time per operation: at most this fraction of the best peer's. */
    public static final double TIME_TARGET = 0.8;
    /** The columns of the CSV, one row per run. */
    static final List<String> CSV_COLUMNS = List.of("mode", "mix", "style", "live_buffers", "threads", "allocator",
        "repeat",
        "operations", "ns_per_op", "cpu_ns_per_op", "live_bytes", "base_rss_bytes", "peak_rss_bytes",
        "peak_held_bytes", "rss_after_release_bytes", "held_after_release_bytes");

    private final List<PatternRun> runs;
    private final List<Cell> cells;

    /**
     * One allocator's medians over the repeats of one configuration, and its ratios.
     *
     * @param configuration  mode, mix, live buffers and threads ({@link PatternRun#configuration()})
     * @param allocator      the allocator
     * @param repeats        runs behind the medians
     * @param nanosPerOp     median time per operation on one loop
     * @param spreadPercent  (slowest − fastest repeat) ÷ median, the noise
     * @param cpuNanosPerOp  median CPU time per operation
     * @param peakRssBytes   median peak resident set
     * @param peakHeldBytes  median peak memory held by the allocator
     * @param liveBytes      median live bytes at the end of the window
     * @param timeRatio      time per operation over the best peer's (the lowest), NaN without peers
     * @param cpuRatio       CPU time per operation over the lowest among the peers, NaN without peers: steadier
     *                       than {@code timeRatio} while other processes compete for the CPU
     * @param rssRatio       peak resident set over the smallest peer's, NaN without peers
     * @param rssToAdaptive  peak resident set over adaptive's, NaN without it
     */
    public record Cell(String configuration, ComparedAllocator allocator, int repeats, double nanosPerOp,
                       double spreadPercent, double cpuNanosPerOp, double peakRssBytes, double peakHeldBytes,
                       double liveBytes, double timeRatio, double cpuRatio, double rssRatio, double rssToAdaptive) {
    }

    /** Summarizes {@code runs}. */
    public PatternReport(List<PatternRun> runs) {
        this.runs = List.copyOf(runs);
        this.cells = summarize();
    }

    /** Returns the runs. */
    public List<PatternRun> runs() {
        return runs;
    }

    /** Returns the summary: per configuration (in run order), one cell per allocator, in the enum's order. */
    public List<Cell> cells() {
        return cells;
    }

    private List<Cell> summarize() {
        Map<String, Map<ComparedAllocator, List<PatternRun>>> byConfiguration = new LinkedHashMap<>();
        for (PatternRun run : runs) {
            byConfiguration.computeIfAbsent(run.configuration(), c -> new LinkedHashMap<>())
                .computeIfAbsent(run.allocator(), a -> new ArrayList<>()).add(run);
        }
        List<Cell> summary = new ArrayList<>();
        byConfiguration.forEach((configuration, byAllocator) -> {
            List<Cell> unrated = new ArrayList<>();
            for (ComparedAllocator allocator : ComparedAllocator.values()) {
                List<PatternRun> repeats = byAllocator.get(allocator);
                if (repeats != null) {
                    unrated.add(cell(configuration, allocator, repeats));
                }
            }
            List<Cell> peers = unrated.stream().filter(cell -> cell.allocator() != ComparedAllocator.APF).toList();
            double bestTime = peers.stream().mapToDouble(Cell::nanosPerOp).min().orElse(Double.NaN);
            double bestCpu = peers.stream().mapToDouble(Cell::cpuNanosPerOp).min().orElse(Double.NaN);
            double bestRss = peers.stream().mapToDouble(Cell::peakRssBytes).min().orElse(Double.NaN);
            double adaptiveRss = peers.stream().filter(cell -> cell.allocator() == ComparedAllocator.ADAPTIVE)
                .mapToDouble(Cell::peakRssBytes).findFirst().orElse(Double.NaN);
            unrated.forEach(c -> summary.add(new Cell(c.configuration(), c.allocator(), c.repeats(), c.nanosPerOp(),
                c.spreadPercent(), c.cpuNanosPerOp(), c.peakRssBytes(), c.peakHeldBytes(), c.liveBytes(),
                c.nanosPerOp() / bestTime, c.cpuNanosPerOp() / bestCpu, c.peakRssBytes() / bestRss,
                c.peakRssBytes() / adaptiveRss)));
        });
        return List.copyOf(summary);
    }

    private static Cell cell(String configuration, ComparedAllocator allocator, List<PatternRun> repeats) {
        double[] nanos = values(repeats, ReplayResult::nanosPerOperation);
        double spread = 100 * (Arrays.stream(nanos).max().orElse(0) - Arrays.stream(nanos).min().orElse(0))
            / median(nanos);
        return new Cell(configuration, allocator, repeats.size(), median(nanos), spread,
            median(values(repeats, ReplayResult::cpuNanosPerOperation)),
            median(values(repeats, ReplayResult::peakRssBytes)), median(values(repeats, ReplayResult::peakHeldBytes)),
            median(values(repeats, ReplayResult::liveBytes)), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private static double[] values(List<PatternRun> runs, ToDoubleFunction<ReplayResult> value) {
        return runs.stream().map(PatternRun::result).mapToDouble(value).toArray();
    }

    /**
     * Returns ours against the targets in Markdown, one row per configuration: time per operation against the best
     * peer's (target at most {@value #TIME_TARGET}×), resident set against adaptive's (target at most 1×).
     */
    public String headline() {
        StringBuilder table = new StringBuilder("| mode | mix | live × threads (style) | apf ns/op | best peer "
            + "| its ns/op | apf ÷ best | ≤ 0.8? | CPU ÷ best | apf RSS MiB | adaptive RSS MiB | apf ÷ adaptive "
            + "| ≤ 1? |\n"
            + "|---|---|---:|---:|---|---:|---:|---|---:|---:|---:|---:|---|\n");
        for (Cell apf : cells) {
            if (apf.allocator() != ComparedAllocator.APF || Double.isNaN(apf.timeRatio())) {
                continue;
            }
            Cell best = cells.stream().filter(c -> c.configuration().equals(apf.configuration())
                    && c.allocator() != ComparedAllocator.APF)
                .min((a, b) -> Double.compare(a.nanosPerOp(), b.nanosPerOp())).orElseThrow();
            Cell adaptive = cells.stream().filter(c -> c.configuration().equals(apf.configuration())
                && c.allocator() == ComparedAllocator.ADAPTIVE).findFirst().orElse(null);
            String[] parts = apf.configuration().split(" ");
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %s | %.1f | **%.2f** | %s | %s | %.0f "
                    + "| %s | %s | %s |%n", parts[0], parts[1], shape(parts), apf.nanosPerOp(),
                best.allocator().label(), best.nanosPerOp(), apf.timeRatio(),
                apf.timeRatio() <= TIME_TARGET ? "yes" : "no", ratio(apf.cpuRatio()),
                mebibytes(apf.peakRssBytes()), adaptive == null ? "–" : String.format(Locale.ROOT, "%.0f",
                    mebibytes(adaptive.peakRssBytes())), ratio(apf.rssToAdaptive()),
                Double.isNaN(apf.rssToAdaptive()) ? "–" : apf.rssToAdaptive() <= 1 ? "yes" : "no"));
        }
        return table.toString();
    }

    /** Returns a configuration's live buffers × threads and, unless it is this benchmark's own, its style. */
    private static String shape(String[] configurationParts) {
        return String.join(" ", Arrays.copyOfRange(configurationParts, 2, configurationParts.length));
    }

    /** Returns every allocator's medians in Markdown, one row per configuration and allocator. */
    public String table() {
        StringBuilder table = new StringBuilder("| mode | mix | live × threads (style) | allocator | ns/op | spread "
            + "| CPU ns/op | × best peer | RSS MiB | RSS × best | RSS × adaptive | held MiB | live MiB |\n"
            + "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Cell cell : cells) {
            String[] parts = cell.configuration().split(" ");
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f | %.0f%% | %.1f | %s | %.0f | %s | %s "
                    + "| %.1f | %.1f |%n", parts[0], parts[1], shape(parts), cell.allocator().label(),
                cell.nanosPerOp(), cell.spreadPercent(), cell.cpuNanosPerOp(), ratio(cell.timeRatio()),
                mebibytes(cell.peakRssBytes()), ratio(cell.rssRatio()), ratio(cell.rssToAdaptive()),
                mebibytes(cell.peakHeldBytes()), mebibytes(cell.liveBytes())));
        }
        return table.toString();
    }

    /** Returns one line on the noise: the median and largest spread of time per operation over the cells. */
    public String noise() {
        double[] spreads = cells.stream().mapToDouble(Cell::spreadPercent).toArray();
        Cell worst = cells.stream().max((a, b) -> Double.compare(a.spreadPercent(), b.spreadPercent()))
            .orElseThrow();
        return String.format(Locale.ROOT, "noise: ns/op spread (slowest − fastest repeat over the median) is %.0f%% in"
                + " the median cell, at most %.0f%% (%s, %s)", median(spreads), worst.spreadPercent(),
            worst.configuration(), worst.allocator().label());
    }

    /** Writes one CSV row per run, with {@link #CSV_COLUMNS} as the header. */
    public void writeCsv(Path file) throws IOException {
        Csv.write(file, CSV_COLUMNS, runs.stream().map(PatternReport::csvRow).toList());
    }

    private static List<Object> csvRow(PatternRun run) {
        ReplayResult result = run.result();
        return List.of(run.mode().label(), run.cell().mix().label(), run.cell().style().label(),
            run.cell().liveBuffers(), run.cell().threads(), run.allocator().label(), run.repeat(), result.operations(),
            String.format(Locale.ROOT, "%.2f", result.nanosPerOperation()),
            String.format(Locale.ROOT, "%.2f", result.cpuNanosPerOperation()), result.liveBytes(),
            result.baseRssBytes(), result.peakRssBytes(), result.peakHeldBytes(), result.rssAfterRelease(),
            result.heldAfterRelease());
    }

    private static double mebibytes(double bytes) {
        return bytes / (1 << 20);
    }

    private static String ratio(double ratio) {
        return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f", ratio);
    }
}
