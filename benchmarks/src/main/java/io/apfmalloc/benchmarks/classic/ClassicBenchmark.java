package io.apfmalloc.benchmarks.classic;

import io.apfmalloc.benchmarks.harness.ChildJvm;
import io.apfmalloc.benchmarks.harness.Machine;
import io.apfmalloc.benchmarks.harness.Progress;
import io.apfmalloc.benchmarks.harness.ResultFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The classic allocator benchmarks ({@link Workload#all()}) on apfmalloc and the native allocators, side by side.
 * For each workload it starts one benchmark JVM per allocator ({@link ClassicChild}: separate heaps, a resident
 * set per allocator, no allocator's leftovers in another's process), then for each thread count runs the warm-up
 * rounds and the measured repeats with the allocators interleaved (A B C … A B C …), so that a change of load on
 * the machine hits all of them alike. It prints progress as it goes, then the tables, and writes
 * {@code classic-<time>.md}, {@code .csv} and the benchmark JVMs' log to the results directory.
 *
 * <p>Every benchmark JVM gets {@code GLIBC_TUNABLES=}{@value AllocatorKind#STATIC_TLS_TUNABLE} (jemalloc cannot be
 * loaded without it; all get it, so that they run in the same environment), {@code -Xms1g -Xmx1g} and
 * {@code --enable-native-access=ALL-UNNAMED}. Settings: {@link ClassicConfig}. Run: {@code mvn -B -q -DskipTests
 * -Pclassic-bench package}.
 */
public final class ClassicBenchmark {
    /** Longest wait for a benchmark JVM to load its allocator, and beyond a run's length for its answer. */
    private static final long ANSWER_TIMEOUT_SECONDS = 60;
    /** Heap of every benchmark JVM, fixed so that heap sizing does not differ between them. */
    private static final List<String> CHILD_HEAP = List.of("-Xms1g", "-Xmx1g");
    /** What starting the benchmark JVMs of a workload costs, for the time-left estimate. */
    private static final double START_SECONDS = 2;
    /** What a run costs beyond its length (set-up, freeing, answers), for the estimate. */
    private static final double RUN_OVERHEAD_SECONDS = 0.05;

    private final ClassicConfig config;
    private final PrintStream out;
    private final ResultFiles files;
    private final List<String> notes = new ArrayList<>();
    private final List<AllocatorKind> allocators = new ArrayList<>();
    private Progress progress = new Progress(0, 0);

    /** Makes a benchmark of {@code config} that reports progress to {@code out}. */
    public ClassicBenchmark(ClassicConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.files = new ResultFiles(config.results(), "classic");
    }

    /** Runs every workload, thread count and allocator; returns the report. */
    public ClassicReport run() throws IOException, InterruptedException {
        Files.createDirectories(config.results());
        for (AllocatorKind kind : config.allocators()) {
            kind.unavailability().ifPresentOrElse(this::note, () -> allocators.add(kind));
        }
        List<AllocatorKind> columns = List.copyOf(allocators);
        Map<String, String> environment = Machine.describe();
        environment.put("jvm.flags", String.join(" ", childFlags(AllocatorKind.APF)).replace("=apf", "=…"));
        int rounds = config.warmups() + config.repeats();
        int runsTotal = config.workloads().size() * config.threads().size() * rounds * allocators.size();
        double plannedSeconds = config.workloads().size() * START_SECONDS + runsTotal * runSeconds();
        out.printf(Locale.ROOT, "classic benchmarks: %d workloads × %d thread counts × (%d warm-up + %d measured)"
                + " rounds × %d allocators = %d runs of %s s; about %s%n", config.workloads().size(),
            config.threads().size(), config.warmups(), config.repeats(), allocators.size(), runsTotal,
            config.seconds(), Progress.duration(plannedSeconds));
        out.println("results and benchmark JVM logs: " + config.results().toAbsolutePath());
        progress = new Progress(runsTotal, plannedSeconds);
        List<RunRecord> runs = new ArrayList<>();
        for (Workload workload : config.workloads()) {
            runs.addAll(runWorkload(workload));
        }
        environment.put("loadavg.end", Machine.loadAverage());
        environment.put("took", Progress.duration(progress.elapsedSeconds()));
        return new ClassicReport(config, columns, runs, notes, environment);
    }

    /** Starts a benchmark JVM per allocator, runs every thread count and round interleaved, stops them. */
    private List<RunRecord> runWorkload(Workload workload) throws IOException, InterruptedException {
        Map<AllocatorKind, ChildJvm> children = new LinkedHashMap<>();
        List<RunRecord> runs = new ArrayList<>();
        try {
            for (AllocatorKind kind : allocators) {
                children.put(kind, ChildJvm.start(workload.name() + " on " + kind.label(), ChildJvm.command(
                    childFlags(kind), ClassicChild.class, List.of(workload.name())), childEnvironment(), files.log()));
            }
            for (AllocatorKind kind : List.copyOf(children.keySet())) {
                try {
                    children.get(kind).await("READY", ANSWER_TIMEOUT_SECONDS, this::note);
                } catch (IllegalStateException e) {
                    fail(children, kind, e);
                }
            }
            progress.advance(START_SECONDS);
            int rounds = config.warmups() + config.repeats();
            for (int threads : config.threads()) {
                for (int round = 1; round <= rounds; round++) {
                    for (AllocatorKind kind : List.copyOf(children.keySet())) {
                        RunResult result = runOnce(children, kind, workload, threads, round);
                        if (result != null && round > config.warmups()) {
                            runs.add(new RunRecord(workload.name(), threads, kind, round - config.warmups(), result));
                        }
                    }
                }
            }
        } finally {
            for (ChildJvm child : children.values()) {
                child.close();
            }
        }
        return runs;
    }

    /** Runs once on {@code kind}'s JVM and prints the progress line; returns null (and drops it) if it fails. */
    private RunResult runOnce(Map<AllocatorKind, ChildJvm> children, AllocatorKind kind, Workload workload,
                              int threads, int round) throws IOException, InterruptedException {
        boolean warmup = round <= config.warmups();
        out.printf(Locale.ROOT, "%s %-13s %3s threads  %-11s %-9s", progress.prefix(), workload.name(),
            workload.threadsLabel(threads), warmup ? "warm-up " + round + "/" + config.warmups()
                : "repeat " + (round - config.warmups()) + "/" + config.repeats(), kind.label());
        out.flush();
        ChildJvm child = children.get(kind);
        RunResult result;
        try {
            child.send(ClassicChild.runCommand(threads, config.nanos()));
            result = RunResult.parse(child.await(RunResult.TAG, ANSWER_TIMEOUT_SECONDS
                + Math.round(config.seconds()), this::note));
        } catch (IllegalStateException e) {
            out.println(" failed");
            fail(children, kind, e);
            return null;
        } finally {
            progress.runDone(runSeconds());
        }
        out.printf(Locale.ROOT, " %8s Mops/s  peak RSS %4d MiB%n",
            ClassicReport.threeDigits(result.operationsPerSecond() / 1e6), result.peakRssBytes() >> 20);
        return result;
    }

    /** Notes why {@code kind} failed, stops its JVM and leaves it out of the remaining runs. */
    private void fail(Map<AllocatorKind, ChildJvm> children, AllocatorKind kind, IllegalStateException e)
            throws InterruptedException {
        note(kind.label() + " left out: " + e.getMessage());
        children.remove(kind).close();
        int sharing = allocators.size();
        allocators.remove(kind);
        int dropped = progress.runsLeft() / sharing;
        progress.dropRuns(dropped, dropped * runSeconds());
    }

    private void note(String note) {
        notes.add(note);
        out.println("note: " + note);
    }

    private List<String> childFlags(AllocatorKind kind) {
        List<String> flags = new ArrayList<>(CHILD_HEAP);
        flags.add("-D" + ConstantAllocator.PROPERTY + "=" + kind.label());
        flags.addAll(config.jvmArgs());
        return flags;
    }

    /** Returns this JVM's {@code GLIBC_TUNABLES} with the static TLS reserve jemalloc needs added. */
    static Map<String, String> childEnvironment() {
        String inherited = System.getenv("GLIBC_TUNABLES");
        return Map.of("GLIBC_TUNABLES", inherited == null || inherited.isBlank() ? AllocatorKind.STATIC_TLS_TUNABLE
            : inherited + ":" + AllocatorKind.STATIC_TLS_TUNABLE);
    }

    /** Returns what one run should take by the plan, for the time-left estimate. */
    private double runSeconds() {
        return config.seconds() + RUN_OVERHEAD_SECONDS;
    }

    /** Writes the report's Markdown and CSV beside the log; returns the files written. */
    public List<Path> write(ClassicReport report) throws IOException {
        Path markdown = files.file("md");
        Files.writeString(markdown, report.markdown());
        Path csv = files.file("csv");
        report.writeCsv(csv);
        return List.of(markdown, csv, files.log());
    }

    /** Runs the benchmarks with the {@code classic.*} system properties, prints the report and writes its files. */
    public static void main(String[] args) throws IOException, InterruptedException {
        ClassicBenchmark benchmark = new ClassicBenchmark(ClassicConfig.fromSystemProperties(), System.out);
        ClassicReport report = benchmark.run();
        List<Path> files = benchmark.write(report);
        System.out.println();
        System.out.print(report.markdown());
        System.out.println();
        System.out.println("wrote " + files.stream().map(Path::toString).toList());
    }
}
