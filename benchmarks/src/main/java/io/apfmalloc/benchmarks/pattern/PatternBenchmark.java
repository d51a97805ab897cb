package io.apfmalloc.benchmarks.pattern;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import io.apfmalloc.benchmarks.harness.ChildJvm;
import io.apfmalloc.benchmarks.harness.Conclusion;
import io.apfmalloc.benchmarks.harness.Machine;
import io.apfmalloc.benchmarks.harness.Progress;
import io.apfmalloc.benchmarks.harness.ResultFiles;
import io.apfmalloc.benchmarks.harness.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The allocation-pattern benchmark: for each JVM mode, size mix and repeat, one child JVM per allocator
 * ({@link PatternWorker}), one after another in an order that rotates with the repeat, each running every cell of
 * the mix ({@link ReplayCell}: live buffers × threads, smallest live total first, so that what an earlier cell left
 * fits inside the next one's) after an unmeasured one for the JIT. It prints progress as it goes, then the tables,
 * and writes {@code pattern-<time>.csv} and the child JVMs' log to the results directory.
 *
 * <p>Settings are {@code pattern.*} system properties ({@link PatternConfig}). Run: {@code mvn -B -q -DskipTests
 * -Ppattern-bench package}.
 */
public final class PatternBenchmark {
    /** Longest wait for a child JVM to start, or to answer beyond a cell's own length. */
    private static final long ANSWER_TIMEOUT_SECONDS = 120;
    /** What starting a child costs, and a cell beyond its windows (filling, releasing), for the estimate. */
    private static final double CHILD_START_SECONDS = 1.5;
    private static final double CELL_OVERHEAD_SECONDS = 0.4;
    /** Direct memory beyond the cells' live bytes that a child may use: pools' free space and fragmentation. */
    private static final long DIRECT_MEMORY_HEADROOM = 2L << 30;

    private final PatternConfig config;
    private final PrintStream out;
    private final ResultFiles files;
    private final List<String> notes = new ArrayList<>();
    private Progress progress = new Progress(0, 0);

    /** Makes a benchmark of {@code config} that reports progress to {@code out}. */
    public PatternBenchmark(PatternConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.files = new ResultFiles(config.resultsDirectory(), "pattern");
    }

    /** Runs every child and returns the report; throws if a child fails. */
    public PatternReport run() throws IOException, InterruptedException {
        Files.createDirectories(config.resultsDirectory());
        for (TrafficMix mix : config.mixes()) {
            for (ReplayCell cell : config.cells(mix)) {
                if (!config.fits(cell)) {
                    notes.add(String.format(Locale.ROOT, "%s %d×%d skipped: about %.1f GiB live > pattern.maxLiveBytes"
                            + " (%s)", mix.label(), cell.liveBuffers(), cell.threads(),
                        cell.expectedLiveBytes() / (1 << 30), Settings.formatBytes(config.maxLiveBytes())));
                }
            }
        }
        plan();
        notes.forEach(note -> out.println("note: " + note));
        List<PatternRun> runs = new ArrayList<>();
        for (JvmMode mode : config.modes()) {
            for (TrafficMix mix : config.mixes()) {
                List<ComparedAllocator> order = new ArrayList<>(config.allocators());
                for (int repeat = 1; repeat <= config.repeats(); repeat++) {
                    for (ComparedAllocator allocator : order) {
                        runs.addAll(runChild(mode, mix, allocator, repeat));
                    }
                    Collections.rotate(order, 1);
                }
            }
        }
        return new PatternReport(runs);
    }

    private List<ReplayCell> measuredCells(TrafficMix mix) {
        return config.cells(mix).stream().filter(config::fits).toList();
    }

    private void plan() {
        int children = config.modes().size() * config.mixes().size() * config.repeats() * config.allocators().size();
        int cells = config.mixes().stream().mapToInt(mix -> measuredCells(mix).size()).sum()
            * config.modes().size() * config.repeats() * config.allocators().size();
        double seconds = children * (CHILD_START_SECONDS + config.jitWarmupSeconds() + CELL_OVERHEAD_SECONDS)
            + cells * (config.warmupSeconds() + config.measureSeconds() + CELL_OVERHEAD_SECONDS);
        progress = new Progress(cells, seconds);
        out.printf(Locale.ROOT, "pattern benchmark: %d modes × %d mixes × %d allocators × %d repeats = %d child JVMs,"
                + " %d cells of %.1f s warm-up + %.1f s measured; about %s%n", config.modes().size(),
            config.mixes().size(), config.allocators().size(), config.repeats(), children, cells,
            config.warmupSeconds(), config.measureSeconds(), Progress.duration(seconds));
        for (TrafficMix mix : config.mixes()) {
            out.printf(Locale.ROOT, "  %-8s mean %,.0f B, %,d B to %,d B%n", mix.label(), mix.sizes().meanBytes(),
                mix.sizes().minBytes(), mix.sizes().maxBytes());
        }
        out.println("results and child JVM logs: " + config.resultsDirectory().toAbsolutePath());
    }

    /** Runs one child JVM through the JIT warm-up and every cell of {@code mix} that fits. */
    private List<PatternRun> runChild(JvmMode mode, TrafficMix mix, ComparedAllocator allocator, int repeat)
            throws IOException, InterruptedException {
        List<ReplayCell> cells = measuredCells(mix);
        int loops = cells.stream().mapToInt(ReplayCell::threads).max().orElse(1);
        String name = String.format(Locale.ROOT, "%-7s %-7s r%d/%d %-8s", mode.label(), mix.label(), repeat,
            config.repeats(), allocator.label());
        List<PatternRun> runs = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start("pattern " + name.replaceAll(" +", " "),
                ChildJvm.command(childFlags(mode, cells), PatternWorker.class,
                    List.of(allocator.label(), String.valueOf(loops))), files.log())) {
            out.printf(Locale.ROOT, "%s %s JIT warm-up %.1f s%n", progress.prefix(), name, config.jitWarmupSeconds());
            child.await("READY", ANSWER_TIMEOUT_SECONDS, line -> { });
            replay(child, new ReplayCell(mix, cells.getFirst().liveBuffers(), 1, config.jitWarmupSeconds(),
                Replay.SAMPLE_MILLIS / 1e3, cells.getFirst().style()), false);
            progress.advance(CHILD_START_SECONDS + config.jitWarmupSeconds() + CELL_OVERHEAD_SECONDS);
            for (ReplayCell cell : cells) {
                out.printf(Locale.ROOT, "%s %s %,6d × %d %s", progress.prefix(), name, cell.liveBuffers(),
                    cell.threads(), cell.style() == ReplayStyle.PAGES ? "" : cell.style().label() + " ");
                ReplayResult result = replay(child, cell, true);
                runs.add(new PatternRun(mode, allocator, repeat, cell, result));
                progress.runDone(cell.warmupSeconds() + cell.measureSeconds() + CELL_OVERHEAD_SECONDS);
                out.printf(Locale.ROOT, " %8.1f ns/op  CPU %8.1f ns/op  RSS %,6d MiB  held %,8.1f MiB  live %,8.1f"
                        + " MiB%n", result.nanosPerOperation(), result.cpuNanosPerOperation(),
                    result.peakRssBytes() >> 20, result.peakHeldBytes() / 1048576.0, result.liveBytes() / 1048576.0);
            }
        }
        return runs;
    }

    private List<String> childFlags(JvmMode mode, List<ReplayCell> cells) {
        double live = cells.stream().mapToDouble(ReplayCell::expectedLiveBytes).max().orElse(0);
        return ChildJvm.allocatorFlags(mode, 2 * (long) live + DIRECT_MEMORY_HEADROOM, config.jvmArgs());
    }

    /** Sends {@code cell} and waits for its result; shows its phases on the current line if {@code showPhases}. */
    private ReplayResult replay(ChildJvm child, ReplayCell cell, boolean showPhases)
            throws IOException, InterruptedException {
        child.send(cell.toLine());
        long timeout = ANSWER_TIMEOUT_SECONDS + Math.round(cell.warmupSeconds() + cell.measureSeconds());
        String result = child.await(ReplayResult.TAG, timeout, line -> {
            if (showPhases && line.startsWith("PHASE ")) {
                out.print(" " + line.substring("PHASE ".length()).replace("warmup", "warm-up") + "…");
                out.flush();
            }
        });
        return ReplayResult.parse(result);
    }

    /** Returns the notes: cells skipped and why. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Writes the report's CSV beside the log; returns the file. */
    public Path write(PatternReport report) throws IOException {
        Path csv = files.file("csv");
        report.writeCsv(csv);
        return csv;
    }

    /** Runs the benchmark with the {@code pattern.*} system properties, prints the tables and writes the CSV. */
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        PatternConfig config = PatternConfig.fromSystemProperties();
        Map<String, String> environment = Machine.describe();
        PatternBenchmark benchmark = new PatternBenchmark(config, out);
        PatternReport report = benchmark.run();
        Path csv = benchmark.write(report);
        Conclusion.on(out).table("apf against the targets (time per operation ≤ 0.8 × the best peer's; resident set"
                + " ≤ adaptive's):", report.headline()).table(report.table()).line(report.noise())
            .notes(benchmark.notes()).line("settings: " + config.asProperties()).machine(environment)
            .took(benchmark.progress.elapsedSeconds(), List.of(csv));
    }
}
