package io.apfmalloc.benchmarks;

import io.apfmalloc.benchmarks.classic.AllocatorKind;
import io.apfmalloc.benchmarks.harness.Machine;
import io.apfmalloc.benchmarks.harness.Settings;
import io.apfmalloc.benchmarks.raw.Batch;
import io.apfmalloc.benchmarks.raw.HandOff;
import io.apfmalloc.benchmarks.raw.SameThreadPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the raw allocation suite ({@link io.apfmalloc.benchmarks.raw}) with JMH and prints one table: ops/s of
 * apfmalloc, the native allocators (glibc, jemalloc, mimalloc, tcmalloc through critical downcalls, one forked JVM
 * each) and FFM arenas per shape, and apfmalloc's ratio to the best native and to the arenas. A native library that
 * is not installed is skipped with a line naming its package ({@code benchmarks/install-native-allocators.sh}).
 *
 * <p>Run from the repository root: {@code mvn -B -q -DskipTests -Praw-bench package} (about five minutes), or with
 * {@code -Dlong} for forks and iterations worth quoting (about thirty minutes). The table also goes to
 * {@code benchmarks/target/raw-malloc-comparison.md}. System properties narrow a development run:
 * {@code raw.shapes} ({@code pair,batch,handoff}), {@code raw.allocators}
 * ({@code apf,apfSized,glibc,jemalloc,mimalloc,tcmalloc,libcTransition,arenaShared,arenaConfined}),
 * {@code raw.sizes} ({@code 16,256,4096,65536}), {@code raw.threads} ({@code 1,2}, for pair and batch).
 */
public final class RawMallocComparison {
    /** How long to measure: the default run is short enough to run often, {@code raw.long} is worth quoting. */
    private record Effort(int forks, int warmupIterations, TimeValue warmupTime, int iterations, TimeValue time) {
        static final Effort SHORT = new Effort(1, 3, TimeValue.milliseconds(400), 5, TimeValue.milliseconds(300));
        static final Effort LONG = new Effort(2, 5, TimeValue.seconds(1), 5, TimeValue.seconds(1));

        @Override
        public String toString() {
            return forks + " fork(s), " + warmupIterations + " × " + warmupTime + " warm-up, " + iterations + " × "
                + time + " measured";
        }
    }

    /** A benchmark class, the label of its rows, and the allocators it has methods (or groups) for. */
    private record Shape(String name, Class<?> benchmark, List<String> allocators, boolean group) {
    }

    /** The benchmark method (or group) that measures the native allocator its fork links ({@code -Draw.native}). */
    private static final String NATIVE_METHOD = "nativeMalloc";
    private static final List<String> NATIVES = List.of("glibc", "jemalloc", "mimalloc", "tcmalloc");

    private static final List<Shape> SHAPES = List.of(
        new Shape("pair", SameThreadPair.class,
            List.of("apf", "apfSized", NATIVE_METHOD, "libcTransition", "arenaShared", "arenaConfined"), false),
        new Shape("batch", Batch.class, List.of("apf", NATIVE_METHOD, "arenaShared", "arenaConfined"), false),
        new Shape("handoff", HandOff.class, List.of("apf", NATIVE_METHOD, "arenaShared"), true));

    /** Columns of the main table; {@code libcTransition} gets a table of its own. */
    private static final List<String> COLUMNS = List.of("apf", "apfSized", "glibc", "jemalloc", "mimalloc",
        "tcmalloc", "arenaShared", "arenaConfined");
    private static final List<String> HEADERS = List.of("apfmalloc", "apf, sized free", "glibc", "jemalloc",
        "mimalloc", "tcmalloc", "Arena.ofShared", "Arena.ofConfined");

    private static final String[] FORK_JVM_ARGS = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g"};

    private RawMallocComparison() {
    }

    /**
     * One measured cell: ops/s and the standard deviation over the measured iterations (of every fork). With a
     * handful of iterations JMH's 99.9% interval is wider than the spread itself (Student's t is 8.6 for five), so
     * the table shows the spread.
     */
    private record Score(double opsPerSecond, double deviation) {
        static Score of(Result<?> result) {
            return new Score(result.getScore(), result.getStatistics().getStandardDeviation());
        }
    }

    /** A row: shape, threads and block size, in table order. */
    private record Row(int shapeIndex, int threads, long size) implements Comparable<Row> {
        @Override
        public int compareTo(Row other) {
            int byShape = Integer.compare(shapeIndex, other.shapeIndex);
            int byThreads = Integer.compare(threads, other.threads);
            return byShape != 0 ? byShape : byThreads != 0 ? byThreads : Long.compare(size, other.size);
        }
    }

    /**
     * Runs the suite and prints the table.
     *
     * @param args ignored; see the class comment for the system properties
     * @throws RunnerException if JMH fails
     * @throws IOException     if the table cannot be written to the output file
     */
    public static void main(String[] args) throws RunnerException, IOException {
        Effort effort = Settings.booleanValue("raw.long", false) ? Effort.LONG : Effort.SHORT;
        List<String> shapes = Settings.list("raw.shapes", "pair,batch,handoff");
        List<String> allocators = Settings.list("raw.allocators",
            "apf,apfSized,glibc,jemalloc,mimalloc,tcmalloc,libcTransition,arenaShared,arenaConfined");
        List<String> natives = NATIVES.stream().filter(allocators::contains).filter(RawMallocComparison::installed)
            .toList();
        List<String> sizes = Settings.list("raw.sizes", "");
        List<String> threadCounts = Settings.list("raw.threads", "1,2");
        String loadBefore = Machine.loadAverage();
        long started = System.nanoTime();

        Map<Row, Map<String, Score>> table = new TreeMap<>();
        for (int s = 0; s < SHAPES.size(); s++) {
            Shape shape = SHAPES.get(s);
            List<String> chosen = shape.allocators().stream().filter(allocators::contains).toList();
            if (!shapes.contains(shape.name())) {
                continue;
            }
            for (String threads : shape.group() ? List.of("1") : threadCounts) {
                if (!chosen.isEmpty()) {
                    run(table, s, options(effort, shape, chosen, sizes).threads(Integer.parseInt(threads)), null);
                }
                for (String nativeAllocator : natives) {
                    ChainedOptionsBuilder options = options(effort, shape, List.of(NATIVE_METHOD), sizes)
                        .threads(Integer.parseInt(threads)).jvmArgsAppend("-Draw.native=" + nativeAllocator);
                    run(table, s, options, nativeAllocator);
                }
            }
        }

        String report = report(table, effort, loadBefore, Machine.loadAverage(), System.nanoTime() - started);
        System.out.println();
        System.out.println(report);
        Path output = Path.of(System.getProperty("raw.output", "target/raw-malloc-comparison.md"));
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report);
        System.out.println("(written to " + output.toAbsolutePath() + ")");
    }

    /** Returns whether {@code nativeAllocator}'s library is here; prints why it is skipped if not. */
    private static boolean installed(String nativeAllocator) {
        Optional<String> missing = AllocatorKind.of(nativeAllocator).unavailability();
        missing.ifPresent(System.out::println);
        return missing.isEmpty();
    }

    /** Runs {@code options} and adds the results, the native method's under {@code nativeLabel}. */
    private static void run(Map<Row, Map<String, Score>> table, int shapeIndex, ChainedOptionsBuilder options,
                            String nativeLabel) throws RunnerException {
        for (RunResult result : new Runner(options.build()).run()) {
            addResult(table, shapeIndex, result, nativeLabel);
        }
    }

    private static ChainedOptionsBuilder options(Effort effort, Shape shape, List<String> allocators,
                                                 List<String> sizes) {
        String names = String.join("|", allocators);
        String regex = "^" + shape.benchmark().getName().replace(".", "\\.") + "\\.(" + names + ")$";
        ChainedOptionsBuilder options = new OptionsBuilder()
            .include(regex)
            .mode(Mode.Throughput)
            .timeUnit(TimeUnit.SECONDS)
            .forks(effort.forks())
            .warmupIterations(effort.warmupIterations())
            .warmupTime(effort.warmupTime())
            .measurementIterations(effort.iterations())
            .measurementTime(effort.time())
            .jvmArgs(FORK_JVM_ARGS)
            .shouldFailOnError(true);
        if (!sizes.isEmpty()) {
            options.param("size", sizes.toArray(String[]::new));
        }
        return options;
    }

    private static void addResult(Map<Row, Map<String, Score>> table, int shapeIndex, RunResult result,
                                  String nativeLabel) {
        String benchmark = result.getParams().getBenchmark();
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        boolean group = SHAPES.get(shapeIndex).group();
        Result<?> score = group
            ? result.getSecondaryResults().get(method + "Producer")
            : result.getPrimaryResult();
        Row row = new Row(shapeIndex, group ? 2 : result.getParams().getThreads(),
            Long.parseLong(result.getParams().getParam("size")));
        String allocator = method.equals(NATIVE_METHOD) ? nativeLabel : method;
        table.computeIfAbsent(row, r -> new TreeMap<>()).put(allocator, Score.of(score));
    }

    private static String report(Map<Row, Map<String, Score>> table, Effort effort, String loadBefore,
                                 String loadAfter, long elapsedNanos) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Raw malloc/free throughput, millions of malloc+free pairs per second "
                + "(± standard deviation over the measured iterations, as %% of the score)%n%n"));
        out.append("| shape | threads | size | ").append(String.join(" | ", HEADERS))
            .append(" | best native | apf/best native | apf/Arena.ofShared | apf/Arena.ofConfined |\n");
        out.append("|---|---:|---:|").append("---:|".repeat(HEADERS.size()) + "---|" + "---:|".repeat(3))
            .append('\n');
        table.forEach((row, scores) -> {
            Shape shape = SHAPES.get(row.shapeIndex());
            out.append("| ").append(shape.name()).append(" | ")
                .append(shape.group() ? "1+1" : String.valueOf(row.threads())).append(" | ")
                .append(formatSize(row.size())).append(" | ");
            for (String column : COLUMNS) {
                out.append(formatScore(scores.get(column))).append(" | ");
            }
            Score apf = scores.get("apf");
            String best = NATIVES.stream().filter(scores::containsKey)
                .max(Comparator.comparingDouble(name -> scores.get(name).opsPerSecond())).orElse(null);
            out.append(best == null ? "–" : best).append(" | ")
                .append(formatRatio(apf, best == null ? null : scores.get(best))).append(" | ");
            for (String column : List.of("arenaShared", "arenaConfined")) {
                out.append(formatRatio(apf, scores.get(column))).append(" | ");
            }
            out.setLength(out.length() - 1);
            out.append('\n');
        });
        appendTransitionTable(out, table);
        out.append(String.format(Locale.ROOT, "%nhandoff: one producer thread and one consumer thread; the score is "
            + "blocks handed off per second (Arena.ofConfined cannot be closed by another thread).%n"));
        out.append(String.format(Locale.ROOT, "Effort: %s. JVM %s, %d CPUs; load average before: %s, after: %s; "
                + "took %.1f min.%n", effort, Runtime.version(), Runtime.getRuntime().availableProcessors(),
            loadBefore, loadAfter, elapsedNanos / 60e9));
        return out.toString();
    }

    private static void appendTransitionTable(StringBuilder out, Map<Row, Map<String, Score>> table) {
        List<Map.Entry<Row, Map<String, Score>>> rows = table.entrySet().stream()
            .filter(entry -> entry.getValue().containsKey("libcTransition"))
            .toList();
        if (rows.isEmpty()) {
            return;
        }
        out.append(String.format(Locale.ROOT, "%nglibc through critical downcalls against ordinary ones (pair)%n%n"));
        out.append("| threads | size | libc, critical | libc, with transitions | critical/transitions |\n");
        out.append("|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<Row, Map<String, Score>> entry : rows) {
            Score critical = entry.getValue().get("glibc");
            Score transition = entry.getValue().get("libcTransition");
            out.append("| ").append(entry.getKey().threads()).append(" | ").append(formatSize(entry.getKey().size()))
                .append(" | ").append(formatScore(critical)).append(" | ").append(formatScore(transition))
                .append(" | ").append(formatRatio(critical, transition)).append(" |\n");
        }
    }

    private static String formatSize(long size) {
        return size >= 1024 && size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
    }

    private static String formatScore(Score score) {
        if (score == null) {
            return "–";
        }
        String value = threeDigits(score.opsPerSecond() / 1e6);
        if (Double.isNaN(score.deviation()) || score.opsPerSecond() == 0) {
            return value;
        }
        return value + String.format(Locale.ROOT, " ±%.0f%%", 100 * score.deviation() / score.opsPerSecond());
    }

    private static String formatRatio(Score numerator, Score denominator) {
        if (numerator == null || denominator == null || denominator.opsPerSecond() == 0) {
            return "–";
        }
        return threeDigits(numerator.opsPerSecond() / denominator.opsPerSecond()) + "×";
    }

    /** Formats {@code value} with about three significant digits. */
    private static String threeDigits(double value) {
        String format = value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : value >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, format, value);
    }
}
