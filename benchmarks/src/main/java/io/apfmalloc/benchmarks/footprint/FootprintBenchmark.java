package io.apfmalloc.benchmarks.footprint;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import io.apfmalloc.benchmarks.harness.ChildJvm;
import io.apfmalloc.benchmarks.harness.Conclusion;
import io.apfmalloc.benchmarks.harness.KeyValueLine;
import io.apfmalloc.benchmarks.harness.Machine;
import io.apfmalloc.benchmarks.harness.Progress;
import io.apfmalloc.benchmarks.harness.ResultFiles;
import io.apfmalloc.benchmarks.harness.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The footprint benchmark: for each JVM mode and release variant, one child JVM per allocator
 * ({@link FootprintWorker}), all started together, each running the same {@link FootprintPlan}: a burst up to a
 * live total, a hold, the release, an idle period, a trim. The children run at the same time because most of a run
 * is idle; each has its own process, so their resident sets do not mix. It prints each child's phases as they
 * begin and a status line every few seconds, then the table, and writes {@code footprint-<time>.csv} (every
 * sample), {@code .png} (the chart) and the child JVMs' log to the results directory.
 *
 * <p>Settings are {@code footprint.*} system properties ({@link FootprintConfig}). Run: {@code mvn -B -q
 * -DskipTests -Pfootprint-bench package}.
 */
public final class FootprintBenchmark {
    /** Longest wait for a child to start, and for its next line beyond the plan's own length. */
    private static final long ANSWER_TIMEOUT_SECONDS = 120;
    /** What starting a group of children and the burst cost, for the estimate. */
    private static final double START_SECONDS = 2;
    private static final double BURST_SECONDS = 3;
    private static final long STATUS_MILLIS = 5000;
    /** Direct memory beyond the live total a child may use: pools' free space and fragmentation. */
    private static final long DIRECT_MEMORY_HEADROOM = 2L << 30;

    private final FootprintConfig config;
    private final PrintStream out;
    private final ResultFiles files;
    private Progress progress = new Progress(0, 0);

    /** Makes a benchmark of {@code config} that reports progress to {@code out}. */
    public FootprintBenchmark(FootprintConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.files = new ResultFiles(config.resultsDirectory(), "footprint");
    }

    /** Runs every group and returns the report; throws if a child fails. */
    public FootprintReport run() throws IOException, InterruptedException {
        Files.createDirectories(config.resultsDirectory());
        int groups = config.modes().size() * config.releases().size();
        double groupSeconds = START_SECONDS + BURST_SECONDS + config.plan(Release.LOOP).secondsAfterBurst();
        progress = new Progress(groups, groups * groupSeconds);
        out.printf(Locale.ROOT, "footprint benchmark: %d modes × %d releases = %d groups of %d child JVMs at once; "
                + "burst of %s (%s mix, mean %,.0f B) on %d loops, hold %.0f s, idle %.0f s, trim %.0f s, samples "
                + "every %d ms; about %s%n", config.modes().size(), config.releases().size(), groups,
            config.allocators().size(), Settings.formatBytes(config.liveBytes()), config.mix().label(),
            config.mix().sizes().meanBytes(), config.threads(), config.holdSeconds(), config.idleSeconds(),
            config.trimSeconds(), config.sampleMillis(), Progress.duration(groups * groupSeconds));
        out.println("results and child JVM logs: " + config.resultsDirectory().toAbsolutePath());
        List<FootprintRun> runs = new ArrayList<>();
        for (JvmMode mode : config.modes()) {
            for (Release release : config.releases()) {
                runs.addAll(runGroup(mode, release, groupSeconds));
            }
        }
        return new FootprintReport(runs);
    }

    /**
     * Runs one child per allocator at once through {@code release}'s plan; counts the group's planned
     * {@code groupSeconds} as done bit by bit while it runs, so that the time left goes down.
     */
    private List<FootprintRun> runGroup(JvmMode mode, Release release, double groupSeconds)
            throws IOException, InterruptedException {
        FootprintPlan plan = config.plan(release);
        String group = mode.label() + " " + release.label();
        Map<ComparedAllocator, ChildJvm> children = new EnumMap<>(ComparedAllocator.class);
        Map<ComparedAllocator, Collector> collectors = new EnumMap<>(ComparedAllocator.class);
        out.printf(Locale.ROOT, "%s %s: starting %d child JVMs%n", progress.prefix(), group,
            config.allocators().size());
        try {
            for (ComparedAllocator allocator : config.allocators()) {
                children.put(allocator, ChildJvm.start("footprint " + group + " " + allocator.label(),
                    ChildJvm.command(ChildJvm.allocatorFlags(mode, 2 * config.liveBytes() + DIRECT_MEMORY_HEADROOM,
                        config.jvmArgs()), FootprintWorker.class, List.of(allocator.label(),
                        String.valueOf(config.threads()))), files.log()));
            }
            for (ChildJvm child : children.values()) {
                child.await("READY", ANSWER_TIMEOUT_SECONDS, line -> { });
            }
            for (ComparedAllocator allocator : config.allocators()) {
                Collector collector = new Collector(mode, release, allocator, children.get(allocator),
                    group + " " + allocator.label());
                collectors.put(allocator, collector);
                children.get(allocator).send(plan.toLine());
            }
            List<Thread> threads = new ArrayList<>();
            for (Collector collector : collectors.values()) {
                threads.add(Thread.ofVirtual().name("collect " + collector.name).start(collector));
            }
            double counted = 0;
            for (Thread thread : threads) {
                while (!thread.join(Duration.ofMillis(STATUS_MILLIS))) {
                    double tick = Math.min(STATUS_MILLIS / 1e3, Math.max(0, groupSeconds - counted - 1));
                    progress.advance(tick);
                    counted += tick;
                    printStatus(group, collectors);
                }
            }
            progress.runDone(groupSeconds - counted);
        } finally {
            for (ChildJvm child : children.values()) {
                child.close();
            }
        }
        List<FootprintRun> runs = new ArrayList<>();
        for (Collector collector : collectors.values()) {
            runs.add(collector.result());
        }
        return runs;
    }

    private void printStatus(String group, Map<ComparedAllocator, Collector> collectors) {
        StringBuilder status = new StringBuilder(progress.prefix() + " " + group + ":");
        collectors.forEach((allocator, collector) -> {
            FootprintSample last = collector.last;
            if (last != null) {
                status.append(String.format(Locale.ROOT, "  %s %s %.0f MiB held", allocator.label(),
                    last.phase().label(), last.heldBytes() / 1048576.0));
            }
        });
        synchronized (out) {
            out.println(status);
        }
    }

    /** Reads one child's lines until {@code DONE}: its samples, its phases (printed as they begin), a failure. */
    private final class Collector implements Runnable {
        private final JvmMode mode;
        private final Release release;
        private final ComparedAllocator allocator;
        private final ChildJvm child;
        private final String name;
        private final List<FootprintSample> samples = Collections.synchronizedList(new ArrayList<>());
        private final Map<Phase, Long> phaseStarts = new ConcurrentHashMap<>();
        private volatile FootprintSample last;
        private volatile RuntimeException failure;

        Collector(JvmMode mode, Release release, ComparedAllocator allocator, ChildJvm child, String name) {
            this.mode = mode;
            this.release = release;
            this.allocator = allocator;
            this.child = child;
            this.name = name;
        }

        @Override
        public void run() {
            long timeout = ANSWER_TIMEOUT_SECONDS + Math.round(config.plan(release).secondsAfterBurst());
            try {
                child.await(FootprintWorker.DONE, timeout, this::accept);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException(name + ": interrupted", e);
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        private void accept(String line) {
            String tag = KeyValueLine.tag(line);
            if (tag.equals(FootprintSample.TAG)) {
                last = FootprintSample.parse(line);
                samples.add(last);
            } else if (tag.equals(FootprintWorker.PHASE)) {
                Map<String, String> values = KeyValueLine.parse(line);
                Phase phase = Phase.of(values.get("phase"));
                long millis = KeyValueLine.longValue(values, "ms");
                phaseStarts.put(phase, millis);
                synchronized (out) {
                    out.printf(Locale.ROOT, "%s %-24s %-8s at %5.1f s%n", progress.prefix(), name, phase.label(),
                        millis / 1e3);
                }
            }
        }

        FootprintRun result() {
            if (failure != null) {
                throw failure;
            }
            return new FootprintRun(mode, release, allocator, samples, phaseStarts);
        }
    }

    /** Writes the report's CSV and chart beside the log; returns the files written. */
    public List<Path> write(FootprintReport report) throws IOException {
        Path csv = files.file("csv");
        report.writeCsv(csv);
        List<Path> written = new ArrayList<>(List.of(csv));
        files.chart(out, png -> FootprintChart.write(report, String.format(Locale.ROOT, "%s burst, %s mix, %d loops",
            Settings.formatBytes(config.liveBytes()), config.mix().label(), config.threads()), png))
            .ifPresent(written::add);
        return written;
    }

    /** Runs the benchmark with the {@code footprint.*} system properties, prints the table, writes the files. */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        PrintStream out = System.out;
        Map<String, String> environment = Machine.describe();
        FootprintBenchmark benchmark = new FootprintBenchmark(FootprintConfig.fromSystemProperties(), out);
        FootprintReport report = benchmark.run();
        List<Path> files = benchmark.write(report);
        Conclusion.on(out).table(report.headline()).table(report.table()).machine(environment)
            .took(benchmark.progress.elapsedSeconds(), files);
    }
}
