package io.apfmalloc.benchmarks.netty;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import io.apfmalloc.benchmarks.harness.Settings;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs Netty's allocator shapes on ours ({@code ApfByteBufAllocator}) and Netty's pooled, adaptive and unpooled
 * allocators in one run, in both JVM modes, and prints a table of ops/s with the ratio ours / best peer.
 *
 * <p>For each shape and mode the four allocators run one after the other, one JMH fork each, in
 * {@code netty.bench.rounds} rounds (default 2) whose order rotates, so that the load of a shared machine falls on
 * all of them alike; each allocator's figure is its best round (mean ops/s over the round's measured iterations),
 * and {@code ±} is half the spread between its rounds, the noise to assume. Settings, as system properties:
 * <ul>
 *   <li>{@code netty.bench.shapes}: comma-separated shape ids or set names ({@code default}, {@code loops}) to
 *       run, or {@code all} (default: the {@code default} set of {@link #shapes()})</li>
 *   <li>{@code netty.bench.modes}: {@code default}, {@code fast} or both (default: both)</li>
 *   <li>{@code netty.bench.rounds}: rounds per shape and mode (default 2)</li>
 *   <li>{@code netty.bench.warmups}, {@code netty.bench.iterations}: per fork (default 1 and 2), each
 *       {@code netty.bench.seconds} long (default 1)</li>
 *   <li>{@code netty.bench.leakDetection}: Netty's leak detection level in the forks (default: Netty's,
 *       {@code simple}; Netty's own microbenchmarks run with {@code disabled})</li>
 * </ul>
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am -DskipTests -Pnetty-bench package}.
 *
 * @see io.apfmalloc.netty.ApfByteBufAllocator
 */
public final class NettyAllocatorComparison {
    /** How long to wait for another JMH run on the machine to release JMH's lock, in seconds. */
    private static final int LOCK_WAIT_SECONDS = 600;

    private NettyAllocatorComparison() {
    }

    /**
     * One shape: a benchmark method (or JMH group) with fixed parameters, and the result that counts.
     *
     * @param id        short name for {@code netty.bench.shapes}
     * @param title     the table's label
     * @param benchmark class and method (or group) name
     * @param params    parameters other than the allocator
     * @param label     the secondary result to report (a group's allocating thread), or null for the primary
     * @param sets      the named sets it belongs to: {@value #DEFAULT_SET} (a run without
     *                  {@code netty.bench.shapes}) and {@value #EVENT_LOOP_SET} (the event-loop shapes of the
     *                  Netty-speed issue: allocate-release 64 B-16 KiB, bursts, cross-thread, accessors)
     */
    record Shape(String id, String title, String benchmark, Map<String, String> params, String label,
                 Set<String> sets) {
    }

    /** The set a run without {@code netty.bench.shapes} runs. */
    static final String DEFAULT_SET = "default";
    /** The set {@code -Dnetty.bench.shapes=loops} runs. */
    static final String EVENT_LOOP_SET = "loops";

    static List<Shape> shapes() {
        String steady = SteadyStateBenchmark.class.getName();
        List<Shape> shapes = new ArrayList<>(List.of(
            new Shape("steady", "steady state, 8,192 live, 256 B-64 KiB, direct", steady + ".direct", Map.of(),
                null, Set.of(DEFAULT_SET)),
            new Shape("steady-heap", "steady state, 8,192 live, 256 B-64 KiB, heap", steady + ".heap", Map.of(),
                null, Set.of(DEFAULT_SET))));
        String allocateRelease = AllocateReleaseBenchmark.class.getName();
        for (int size : List.of(64, 256, 1024, 4096, 16384, 65536)) {
            boolean byDefault = size == 256 || size == 4096 || size == 65536;
            boolean issue = size <= 16384;
            shapes.add(new Shape("ar-" + label(size), "allocate-release, 1 thread, " + title(size),
                allocateRelease + ".oneThread", Map.of("size", String.valueOf(size)), null,
                sets(byDefault, issue)));
            shapes.add(new Shape("ar2-" + label(size), "allocate-release, 2 threads, " + title(size),
                allocateRelease + ".twoThreads", Map.of("size", String.valueOf(size)), null,
                sets(size == 256, issue)));
        }
        String burst = BurstBenchmark.class.getName();
        for (int size : List.of(256, 16384)) {
            for (BurstBenchmark.ReleaseOrder order : BurstBenchmark.ReleaseOrder.values()) {
                String id = "burst-" + label(size) + "-" + order.name().toLowerCase(Locale.ROOT);
                String title = "burst of " + BurstBenchmark.BURST + " x " + title(size) + " released " + order;
                Map<String, String> params = Map.of("size", String.valueOf(size), "order", order.name());
                shapes.add(new Shape(id, title + ", 1 thread", burst + ".oneThread", params, null,
                    sets(false, true)));
                shapes.add(new Shape(id.replace("burst-", "burst2-"), title + ", 2 threads", burst + ".twoThreads",
                    params, null, sets(false, true)));
            }
        }
        String crossThread = CrossThreadBenchmark.class.getName();
        for (int size : List.of(256, 1024, 4096, 16384)) {
            shapes.add(new Shape("cross-" + label(size), "allocate on one thread, release on another, "
                + title(size), crossThread + ".handOff", Map.of("size", String.valueOf(size)), "allocate",
                sets(size == 4096, size == 1024 || size == 16384)));
        }
        String accessor = AccessorBenchmark.class.getName();
        shapes.addAll(List.of(
            new Shape("ints", "256 x writeInt + readInt on 1 KiB, 1 thread", accessor + ".ints", Map.of(), null,
                sets(false, true)),
            new Shape("ints2", "256 x writeInt + readInt on 1 KiB, 2 threads", accessor + ".intsTwoThreads",
                Map.of(), null, sets(false, true)),
            new Shape("bytes", "1 KiB writeBytes + readBytes, 1 thread", accessor + ".bytes", Map.of(), null,
                sets(false, true)),
            new Shape("bytes2", "1 KiB writeBytes + readBytes, 2 threads", accessor + ".bytesTwoThreads", Map.of(),
                null, sets(false, true)),
            new Shape("pipe", "1 KiB out to a Pipe and back, 1 thread", accessor + ".channel", Map.of(), null,
                sets(false, true)),
            new Shape("pipe2", "1 KiB out to a Pipe and back, 2 threads", accessor + ".channelTwoThreads",
                Map.of(), null, sets(false, true)),
            new Shape("grow", "allocate and grow 256 B -> 16 KiB (512 B writes)",
                AllocateAndGrowBenchmark.class.getName() + ".grow", Map.of("finalSize", "16384"), null,
                sets(true, false))));
        return List.copyOf(shapes);
    }

    private static Set<String> sets(boolean byDefault, boolean eventLoopIssue) {
        Set<String> sets = new HashSet<>();
        if (byDefault) {
            sets.add(DEFAULT_SET);
        }
        if (eventLoopIssue) {
            sets.add(EVENT_LOOP_SET);
        }
        return Set.copyOf(sets);
    }

    /** Returns a size as in shape ids: {@code 64}, {@code 1k}, {@code 16k}. */
    private static String label(int size) {
        return size >= 1024 ? size / 1024 + "k" : String.valueOf(size);
    }

    /** Returns a size as in shape titles: {@code 64 B}, {@code 1 KiB}. */
    private static String title(int size) {
        return Settings.formatBytes(size);
    }

    /** One allocator's figure: its best and worst round, each the mean ops/s of the round's iterations. */
    record Score(double best, double worst) {
        /** Half the spread between the rounds, in percent of the best: the noise a reader should assume. */
        double spreadPercent() {
            return 50 * (best - worst) / best;
        }
    }

    /** Runs the shapes and prints the table. */
    public static void main(String[] args) throws Exception {
        System.setErr(new PrintStream(new JmhUnsafeWarningFilter(System.err), true, StandardCharsets.UTF_8));
        Set<String> wanted = lowerCase(Settings.list("netty.bench.shapes", ""));
        Set<String> modeNames = lowerCase(Settings.list("netty.bench.modes", ""));
        List<Shape> shapes = shapes().stream()
            .filter(shape -> wanted.isEmpty()
                ? shape.sets().contains(DEFAULT_SET)
                : wanted.contains("all") || wanted.contains(shape.id())
                    || shape.sets().stream().anyMatch(wanted::contains))
            .toList();
        List<JvmMode> modes = Arrays.stream(JvmMode.values())
            .filter(mode -> modeNames.isEmpty() || modeNames.contains(mode.name().toLowerCase(Locale.ROOT)))
            .toList();
        System.out.printf(Locale.ROOT, "Netty allocators, %d shapes x %d modes; load average at start %.2f%n",
            shapes.size(), modes.size(), loadAverage());
        long start = System.nanoTime();
        Map<Shape, Map<JvmMode, Map<ComparedAllocator, Score>>> table = new LinkedHashMap<>();
        for (Shape shape : shapes) {
            for (JvmMode mode : modes) {
                Map<ComparedAllocator, Score> scores = run(shape, mode);
                table.computeIfAbsent(shape, s -> new EnumMap<>(JvmMode.class)).put(mode, scores);
                System.out.println(row(shape, mode, scores));
            }
        }
        System.out.printf(Locale.ROOT, "%nTook %.1f min; load average at end %.2f (2 cores: above 2, other "
            + "processes competed for the CPU)%n%n", (System.nanoTime() - start) / 60e9, loadAverage());
        System.out.println(header());
        table.forEach((shape, byMode) -> byMode.forEach((mode, scores) -> System.out.println(row(shape, mode,
            scores))));
    }

    private static Map<ComparedAllocator, Score> run(Shape shape, JvmMode mode) throws RunnerException,
        InterruptedException {
        int rounds = Settings.intValue("netty.bench.rounds", 2);
        List<ComparedAllocator> order = new ArrayList<>(List.of(ComparedAllocator.values()));
        Map<ComparedAllocator, List<Double>> means = new EnumMap<>(ComparedAllocator.class);
        for (int round = 0; round < rounds; round++) {
            for (ComparedAllocator allocator : order) {
                Double mean = runFork(shape, mode, allocator);
                if (mean != null) {
                    means.computeIfAbsent(allocator, a -> new ArrayList<>()).add(mean);
                }
            }
            Collections.rotate(order, 1);
        }
        Map<ComparedAllocator, Score> scores = new EnumMap<>(ComparedAllocator.class);
        means.forEach((allocator, list) -> scores.put(allocator,
            new Score(Collections.max(list), Collections.min(list))));
        return scores;
    }

    /** Runs one fork of one allocator; returns the mean ops/s of its measured iterations, or null if it failed. */
    private static Double runFork(Shape shape, JvmMode mode, ComparedAllocator allocator) throws RunnerException,
        InterruptedException {
        List<String> jvmArgs = new ArrayList<>(List.of(EventLoopExecutor.EXECUTOR_TYPE,
            EventLoopExecutor.EXECUTOR_CLASS, EventLoopExecutor.NATIVE_ACCESS,
            EventLoopExecutor.HEAP, "-D" + ComparedAllocator.EXPECT_UNSAFE + "=" + mode.allowsUnsafe()));
        jvmArgs.addAll(mode.flags());
        String leakDetection = Settings.property("netty.bench.leakDetection", "");
        if (!leakDetection.isEmpty()) {
            jvmArgs.add("-Dio.netty.leakDetection.level=" + leakDetection);
        }
        int seconds = Settings.intValue("netty.bench.seconds", 1);
        ChainedOptionsBuilder options = new OptionsBuilder()
            .include("^" + Pattern.quote(shape.benchmark()) + "$")
            .param("allocator", allocator.name())
            .jvmArgsAppend(jvmArgs.toArray(String[]::new))
            .warmupIterations(Settings.intValue("netty.bench.warmups", 1))
            .warmupTime(TimeValue.seconds(seconds))
            .measurementIterations(Settings.intValue("netty.bench.iterations", 2))
            .measurementTime(TimeValue.seconds(seconds))
            .forks(1)
            .shouldFailOnError(false)
            .verbosity(VerboseMode.SILENT);
        shape.params().forEach(options::param);
        for (RunResult result : runWhenJmhIsFree(new Runner(options.build()))) {
            Result<?> figure = shape.label() == null
                ? result.getPrimaryResult()
                : result.getSecondaryResults().get(shape.label());
            return figure.getScore();
        }
        System.out.println("  " + allocator + " failed on " + shape.id() + " (" + mode.heading() + ")");
        return null;
    }

    /** Runs, waiting while another JMH run on the machine holds JMH's lock. */
    private static Collection<RunResult> runWhenJmhIsFree(Runner runner) throws RunnerException,
        InterruptedException {
        for (int waited = 0; ; waited += 5) {
            try {
                return runner.run();
            } catch (RunnerException e) {
                if (!String.valueOf(e.getMessage()).contains("JMH lock") || waited >= LOCK_WAIT_SECONDS) {
                    throw e;
                }
                Thread.sleep(5000);
            }
        }
    }

    static String header() {
        return "| shape | JVM mode | apf | pooled | adaptive | unpooled | apf / best peer |\n"
            + "|---|---|---:|---:|---:|---:|---:|";
    }

    static String row(Shape shape, JvmMode mode, Map<ComparedAllocator, Score> scores) {
        StringBuilder row = new StringBuilder("| " + shape.title() + " | " + mode.heading() + " |");
        for (ComparedAllocator allocator : ComparedAllocator.values()) {
            Score score = scores.get(allocator);
            row.append(score == null ? " failed |" : String.format(Locale.ROOT, " %.2f M ±%.0f%% |",
                score.best() / 1e6, score.spreadPercent()));
        }
        Score ours = scores.get(ComparedAllocator.APF);
        Map.Entry<ComparedAllocator, Score> best = scores.entrySet().stream()
            .filter(entry -> entry.getKey() != ComparedAllocator.APF)
            .max(Map.Entry.comparingByValue((a, b) -> Double.compare(a.best(), b.best())))
            .orElse(null);
        row.append(ours == null || best == null ? " - |" : String.format(Locale.ROOT, " **%.2f** (vs %s) |",
            ours.best() / best.getValue().best(),
            best.getKey().name().toLowerCase(Locale.ROOT)));
        return row.toString();
    }

    /**
     * Drops the four-line warning each fork prints when JMH itself calls the JDK's deprecated internal memory access
     * (JDK 25 warns by default); every other line of the forks' output passes through.
     */
    private static final class JmhUnsafeWarningFilter extends OutputStream {
        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        JmhUnsafeWarningFilter(PrintStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                boolean jmhWarning = text.startsWith("WARNING: ")
                    && (text.contains("terminally deprecated method") || text.contains("org.openjdk.jmh")
                        || text.contains("will be removed in a future release"));
                if (!jmhWarning) {
                    target.print(text);
                }
            }
        }

        @Override
        public void flush() {
            target.flush();
        }
    }

    private static Set<String> lowerCase(List<String> names) {
        return names.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
