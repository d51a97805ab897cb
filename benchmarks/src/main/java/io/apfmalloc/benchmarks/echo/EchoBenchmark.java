package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import io.apfmalloc.benchmarks.harness.ChildJvm;
import io.apfmalloc.benchmarks.harness.Interleaving;
import io.apfmalloc.benchmarks.harness.Machine;
import io.apfmalloc.benchmarks.harness.Progress;
import io.apfmalloc.benchmarks.harness.ResultFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The echo-server comparison: for each server JVM mode and transport it starts one echo server per allocator
 * ({@link EchoServer}, each its own JVM), then drives them from one load client ({@link EchoClient}, another JVM)
 * over 127.0.0.1, allocators interleaved (A B C D, B C D A, …: each repeat and size starts one further) for each
 * message size and repeat. It prints progress as it goes, then the tables, and writes {@code echo-<time>.csv},
 * {@code .json}, {@code .png} and the child JVMs' log to the results directory.
 *
 * <p>Settings are {@code echo.*} system properties ({@link EchoConfig}). Run: {@code mvn -B -q -DskipTests -Pecho
 * package}; longer: add {@code -Decho.seconds=30 -Decho.repeats=5}.
 *
 * <p>The client runs in Netty's fast mode with Netty's pooled allocator throughout, so that the load generator
 * costs the same, and as little as it can, whatever the server runs. Each server lives for one mode and transport:
 * it first gets {@code echo.serverWarmup} seconds of unmeasured load, then serves every size in turn, so its memory
 * figures at a size include what earlier sizes left, as in a long-running server.
 */
public final class EchoBenchmark {
    /** Longest wait for a child JVM to start, or to answer a control line. */
    private static final long ANSWER_TIMEOUT_SECONDS = 60;
    /** What starting a group of servers costs, for the time-left estimate until measured. */
    private static final double SERVER_START_SECONDS = 2;
    /** What a run costs beyond its load (connecting, draining, stats), for the estimate until measured. */
    private static final double RUN_OVERHEAD_SECONDS = 0.3;
    /** Heap of every child JVM; also Netty's and our direct-memory limit there. */
    private static final String CHILD_HEAP = "-Xmx1g";

    private final EchoConfig config;
    private final PrintStream out;
    private final ResultFiles files;

    private Progress progress = new Progress(0, 0);

    /**
     * Makes a benchmark of {@code config} that reports progress to {@code out}.
     */
    public EchoBenchmark(EchoConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.files = new ResultFiles(config.resultsDirectory(), "echo");
    }

    /** Runs the whole comparison and returns its report; throws if a child JVM fails or an echo was wrong. */
    public EchoReport run() throws IOException, InterruptedException {
        Files.createDirectories(config.resultsDirectory());
        List<String> notes = new ArrayList<>();
        List<EchoTransport> transports = new ArrayList<>();
        for (EchoTransport transport : config.transports()) {
            if (transport.isAvailable()) {
                transports.add(transport);
            } else {
                notes.add(transport.label() + " skipped: not available here (" + transport.unavailabilityCause()
                    + ")");
            }
        }
        notes.forEach(note -> out.println("note: " + note));
        if (transports.isEmpty()) {
            throw new IllegalStateException("no transport available: " + notes);
        }
        Map<String, String> environment = environment();
        plan(transports.size());
        List<EchoRun> runs = new ArrayList<>();
        try (ChildJvm client = ChildJvm.start("client", ChildJvm.command(clientFlags(), EchoClient.class,
                List.of(String.valueOf(config.clientThreads()))), files.log())) {
            client.await("READY", ANSWER_TIMEOUT_SECONDS, line -> { });
            for (JvmMode mode : config.modes()) {
                for (EchoTransport transport : transports) {
                    runs.addAll(runGroup(client, mode, transport));
                }
            }
        }
        environment.put("loadavg.end", Machine.loadAverage());
        EchoReport report = new EchoReport(config, runs, environment, notes, progress.elapsedSeconds());
        if (report.mismatchedMessages() != 0) {
            throw new IllegalStateException(report.mismatchedMessages() + " echoed messages differed from what was"
                + " sent: " + runs.stream().filter(run -> run.load().mismatchedMessages() != 0).toList());
        }
        return report;
    }

    private List<String> clientFlags() {
        List<String> flags = new ArrayList<>(JvmMode.FAST.flags());
        flags.add(CHILD_HEAP);
        return flags;
    }

    private void plan(int transports) {
        int groups = config.modes().size() * transports;
        int allocators = config.allocators().size();
        int runsTotal = groups * config.sizes().size() * config.repeats() * allocators;
        double plannedTotalSeconds = groups * (SERVER_START_SECONDS
            + allocators * (config.serverWarmupSeconds() + RUN_OVERHEAD_SECONDS))
            + runsTotal * (config.warmupSeconds() + config.measureSeconds() + RUN_OVERHEAD_SECONDS);
        progress = new Progress(runsTotal, plannedTotalSeconds);
        out.printf(Locale.ROOT, "echo benchmark: %d modes × %d transports × %d sizes × %d allocators × %d repeats"
                + " = %d runs of %.1f s warm-up + %.1f s measured; %d connections × %d in flight; about %s%n",
            config.modes().size(), transports, config.sizes().size(), allocators, config.repeats(), runsTotal,
            config.warmupSeconds(), config.measureSeconds(), config.connections(), config.inFlight(),
            Progress.duration(plannedTotalSeconds));
        out.println("results and child JVM logs: " + config.resultsDirectory().toAbsolutePath());
    }

    /** Starts one server per allocator, warms them up, runs every size and repeat interleaved, stops them. */
    private List<EchoRun> runGroup(ChildJvm client, JvmMode mode, EchoTransport transport)
            throws IOException, InterruptedException {
        String group = mode.label() + " " + transport.label();
        out.printf(Locale.ROOT, "%s starting %d servers (%s mode%s)…%n", progress.prefix(), config.allocators().size(),
            mode.label(), mode.flags().isEmpty() ? "" : ": " + String.join(" ", mode.flags()));
        Map<ComparedAllocator, ChildJvm> servers = new EnumMap<>(ComparedAllocator.class);
        Map<ComparedAllocator, Integer> ports = new EnumMap<>(ComparedAllocator.class);
        List<EchoRun> runs = new ArrayList<>();
        try {
            for (ComparedAllocator allocator : config.allocators()) {
                servers.put(allocator, ChildJvm.start("server " + group + " " + allocator.label(),
                    ChildJvm.command(serverFlags(mode), EchoServer.class, List.of(allocator.label(),
                        transport.label(), String.valueOf(config.serverThreads()))), files.log()));
            }
            for (ComparedAllocator allocator : config.allocators()) {
                String port = servers.get(allocator).await("PORT", ANSWER_TIMEOUT_SECONDS, line -> { });
                ports.put(allocator, Integer.parseInt(port.substring("PORT".length()).trim()));
            }
            progress.advance(SERVER_START_SECONDS);
            for (ComparedAllocator allocator : config.allocators()) {
                out.printf(Locale.ROOT, "%s %s %-8s server warm-up %.1f s%n", progress.prefix(), group,
                    allocator.label(), config.serverWarmupSeconds());
                load(client, spec(transport, ports.get(allocator), config.sizes().getFirst(),
                    config.serverWarmupSeconds(), 0), false);
                progress.advance(config.serverWarmupSeconds() + RUN_OVERHEAD_SECONDS);
            }
            List<Integer> sizes = config.sizes();
            for (int sizeIndex = 0; sizeIndex < sizes.size(); sizeIndex++) {
                int size = sizes.get(sizeIndex);
                for (int repeat = 1; repeat <= config.repeats(); repeat++) {
                    for (ComparedAllocator allocator : Interleaving.rotated(config.allocators(),
                            sizeIndex + repeat - 1)) {
                        out.printf(Locale.ROOT, "%s %s %7s  repeat %d/%d  %-8s", progress.prefix(), group,
                            EchoConfig.formatSize(size), repeat, config.repeats(), allocator.label());
                        ChildJvm server = servers.get(allocator);
                        server.send("reset");
                        server.await("OK", ANSWER_TIMEOUT_SECONDS, line -> { });
                        LoadResult load = load(client, spec(transport, ports.get(allocator), size,
                            config.warmupSeconds(), config.measureSeconds()), true);
                        server.send("stats");
                        ServerStats stats = ServerStats.parse(server.await(ServerStats.TAG, ANSWER_TIMEOUT_SECONDS,
                            line -> { }));
                        runs.add(new EchoRun(mode, transport, size, allocator, repeat, load, stats));
                        progress.runDone(config.warmupSeconds() + config.measureSeconds() + RUN_OVERHEAD_SECONDS);
                        out.printf(Locale.ROOT, " %,10.0f msg/s  %7.1f MB/s  p99 %,7.0f µs  RSS %4d MiB  held %6.1f"
                                + " MiB%s%n", load.messagesPerSecond(), load.megabytesPerSecond(),
                            load.p99Nanos() / 1e3, stats.peakRssBytes() >> 20, stats.peakHeldBytes() / 1048576.0,
                            load.mismatchedMessages() == 0 ? "" : "  MISMATCHED " + load.mismatchedMessages());
                    }
                }
            }
        } finally {
            for (ChildJvm server : servers.values()) {
                server.close();
            }
        }
        return runs;
    }

    private List<String> serverFlags(JvmMode mode) {
        List<String> flags = new ArrayList<>(mode.flags());
        flags.add(CHILD_HEAP);
        flags.addAll(config.serverJvmArgs());
        return flags;
    }

    private LoadSpec spec(EchoTransport transport, int port, int size, double warmupSeconds, double measureSeconds) {
        return new LoadSpec(transport, port, size, config.connections(), config.inFlight(),
            Math.round(warmupSeconds * 1000), Math.round(measureSeconds * 1000));
    }

    /** Runs {@code spec} on the client; shows its phases on the current line if {@code showPhases}. */
    private LoadResult load(ChildJvm client, LoadSpec spec, boolean showPhases)
            throws IOException, InterruptedException {
        client.send(spec.toLine());
        long timeout = ANSWER_TIMEOUT_SECONDS + TimeUnit.MILLISECONDS.toSeconds(spec.warmupMillis()
            + spec.measureMillis());
        String result = client.await(LoadResult.TAG, timeout, line -> {
            if (showPhases && line.startsWith("PHASE ") && !line.equals("PHASE drain")) {
                out.print(" " + line.substring("PHASE ".length()).replace("warmup", "warm-up") + "…");
                out.flush();
            }
        });
        return LoadResult.parse(result);
    }

    private Map<String, String> environment() {
        Map<String, String> environment = Machine.describe();
        environment.put("client", "Netty pooled allocator, fast mode, " + config.clientThreads() + " thread(s)");
        environment.put("server.jvm", String.join(" ", serverFlags(JvmMode.DEFAULT)));
        return environment;
    }

    /** Writes the report's CSV, JSON and chart beside the log; returns the files written. */
    public List<Path> write(EchoReport report) throws IOException {
        List<Path> written = new ArrayList<>();
        Path csv = files.file("csv");
        report.writeCsv(csv);
        written.add(csv);
        Path json = files.file("json");
        report.writeJson(json);
        written.add(json);
        Path png = files.file("png");
        try {
            EchoChart.write(report, String.format(Locale.ROOT, "%d connections × %d in flight, %s s × %d repeats",
                config.connections(), config.inFlight(), BigDecimal.valueOf(config.measureSeconds())
                    .stripTrailingZeros().toPlainString(), config.repeats()), png);
            written.add(png);
        } catch (IOException | RuntimeException | LinkageError e) {
            out.println("note: chart not written (" + e + ")");
        }
        return written;
    }

    /** Runs the comparison with the {@code echo.*} system properties, prints the tables and writes the files. */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        EchoBenchmark benchmark = new EchoBenchmark(EchoConfig.fromSystemProperties(), System.out);
        EchoReport report = benchmark.run();
        List<Path> files = benchmark.write(report);
        PrintStream out = System.out;
        out.println();
        if (report.cells().stream().anyMatch(cell -> cell.bestPeer() != null)) {
            out.println("apf against the best of Netty's allocators (ratios: apf ÷ best peer; > 1 is better for"
                + " msg/s, < 1 for p99 and RSS):");
            out.println();
            out.print(report.headline());
            out.println();
        }
        out.print(report.table());
        out.println();
        out.println(report.noise());
        report.notes().forEach(note -> out.println("note: " + note));
        out.printf(Locale.ROOT, "took %s; wrote %s%n", Progress.duration(benchmark.progress.elapsedSeconds()),
            files.stream().map(Path::toString).toList());
    }
}
