package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import io.apfmalloc.benchmarks.harness.ChildJvm;
import io.apfmalloc.benchmarks.harness.Conclusion;
import io.apfmalloc.benchmarks.harness.CpuPinning;
import io.apfmalloc.benchmarks.harness.Interleaving;
import io.apfmalloc.benchmarks.harness.Machine;
import io.apfmalloc.benchmarks.harness.ProcessCpu;
import io.apfmalloc.benchmarks.harness.Progress;
import io.apfmalloc.benchmarks.harness.ResultFiles;
import io.apfmalloc.benchmarks.harness.ServerGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 *
 * <p>Where {@code taskset} is present the client runs on CPU 0 and every server on CPU 1, so that the two sides of a
 * run do not take turns on one core; the server's CPU time (user and system, from {@code /proc/<pid>/stat}) is read
 * when the client starts and ends its measured window, and divided by the messages echoed in it.
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
    /** The CPU the load client is pinned to. */
    private static final int CLIENT_CPU = 0;
    /** The CPU every server is pinned to: one server runs at a time, beside the client. */
    private static final int SERVER_CPU = 1;

    private final EchoConfig config;
    private final PrintStream out;
    private final ResultFiles files;
    private final CpuPinning pinning;

    private Progress progress = new Progress(0, 0);

    /**
     * Makes a benchmark of {@code config} that reports progress to {@code out}.
     */
    public EchoBenchmark(EchoConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.files = new ResultFiles(config.resultsDirectory(), "echo");
        this.pinning = config.pinCpus() ? CpuPinning.detect() : CpuPinning.off("echo.pin=false");
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
        notes.add(pinning.active()
            ? "client pinned to CPU " + CLIENT_CPU + ", servers to CPU " + SERVER_CPU + " (" + pinning.reason() + ")"
            : "processes not pinned to CPUs: " + pinning.reason());
        notes.forEach(note -> out.println("note: " + note));
        if (transports.isEmpty()) {
            throw new IllegalStateException("no transport available: " + notes);
        }
        Map<String, String> environment = environment();
        plan(transports.size());
        List<EchoRun> runs = new ArrayList<>();
        try (ChildJvm client = ChildJvm.start("client", pinning.pin(ChildJvm.command(clientFlags(), EchoClient.class,
                List.of(String.valueOf(config.clientThreads()))), CLIENT_CPU), files.log())) {
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
                + " = %d runs of %.2f s warm-up + %.2f s measured; %d connections × %d in flight; about %s%n",
            config.modes().size(), transports, config.sizes().size(), allocators, config.repeats(), runsTotal,
            config.warmupSeconds(), config.measureSeconds(), config.connections(), config.inFlight(),
            Progress.duration(plannedTotalSeconds));
        out.println("results and child JVM logs: " + config.resultsDirectory().toAbsolutePath());
    }

    /** Starts one server per allocator, warms them up, runs every size and repeat interleaved, stops them. */
    private List<EchoRun> runGroup(ChildJvm client, JvmMode mode, EchoTransport transport)
            throws IOException, InterruptedException {
        String group = mode.label() + " " + transport.label();
        out.printf(Locale.ROOT, "%s starting %d servers (%s mode: %s)…%n", progress.prefix(),
            config.allocators().size(), mode.label(), modeFlags(mode));
        List<EchoRun> runs = new ArrayList<>();
        try (ServerGroup<ComparedAllocator> servers = ServerGroup.start(config.allocators(),
                allocator -> "server " + group + " " + allocator.label(),
                allocator -> pinning.pin(ChildJvm.command(serverFlags(mode), EchoServer.class, List.of(
                    allocator.label(), transport.label(), String.valueOf(config.serverThreads()))), SERVER_CPU),
                files.log(), ANSWER_TIMEOUT_SECONDS)) {
            progress.advance(SERVER_START_SECONDS);
            for (ComparedAllocator allocator : config.allocators()) {
                out.printf(Locale.ROOT, "%s %s %-8s server warm-up %.1f s%n", progress.prefix(), group,
                    allocator.label(), config.serverWarmupSeconds());
                load(client, spec(transport, servers.port(allocator), config.sizes().getFirst(),
                    config.serverWarmupSeconds(), 0), null);
                progress.advance(config.serverWarmupSeconds() + RUN_OVERHEAD_SECONDS);
            }
            for (Interleaving.Turn<Integer, ComparedAllocator> turn : Interleaving.turns(config.sizes(),
                    config.repeats(), config.allocators())) {
                runs.add(measure(client, mode, transport, turn, servers));
            }
        }
        return runs;
    }

    private EchoRun measure(ChildJvm client, JvmMode mode, EchoTransport transport,
                            Interleaving.Turn<Integer, ComparedAllocator> turn,
                            ServerGroup<ComparedAllocator> servers) throws IOException, InterruptedException {
        int size = turn.item();
        ComparedAllocator allocator = turn.allocator();
        out.printf(Locale.ROOT, "%s %s %7s  repeat %d/%d  %-8s", progress.prefix(),
            mode.label() + " " + transport.label(), EchoConfig.formatSize(size), turn.repeat(), config.repeats(),
            allocator.label());
        ChildJvm server = servers.server(allocator);
        server.ask("reset", "OK", ANSWER_TIMEOUT_SECONDS);
        Measured measured = load(client, spec(transport, servers.port(allocator), size, config.warmupSeconds(),
            config.measureSeconds()), server);
        LoadResult load = measured.load();
        ServerStats stats = ServerStats.parse(server.ask("stats", ServerStats.TAG, ANSWER_TIMEOUT_SECONDS));
        EchoRun run = new EchoRun(mode, transport, size, allocator, turn.repeat(), load, stats,
            measured.serverCpuNanos());
        progress.runDone(config.warmupSeconds() + config.measureSeconds() + RUN_OVERHEAD_SECONDS);
        out.printf(Locale.ROOT, " %,10.0f msg/s  %7.1f MB/s  CPU %5.2f µs/msg  p99 %,7.0f µs  RSS %4d MiB  held"
                + " %6.1f MiB%s%n", load.messagesPerSecond(), load.megabytesPerSecond(),
            run.serverCpuMicrosPerMessage(), load.p99Nanos() / 1e3, stats.peakRssBytes() >> 20,
            stats.peakHeldBytes() / 1048576.0,
            load.mismatchedMessages() == 0 ? "" : "  MISMATCHED " + load.mismatchedMessages());
        return run;
    }

    /** Returns the flags that make up {@code mode} on every child JVM, as the reader should copy them. */
    static String modeFlags(JvmMode mode) {
        List<String> flags = new ArrayList<>(List.of(ChildJvm.NATIVE_ACCESS));
        flags.addAll(mode.flags());
        return String.join(" ", flags);
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

    /** What the client measured in a run, and the server's CPU time in its measured window (-1 if unknown). */
    private record Measured(LoadResult load, long serverCpuNanos) {
    }

    /**
     * Runs {@code spec} on the client. With a {@code server} (null for a warm-up), shows the phases on the current
     * line and reads the server's CPU time as the measured window starts and ends.
     */
    private Measured load(ChildJvm client, LoadSpec spec, ChildJvm server) throws IOException, InterruptedException {
        client.send(spec.toLine());
        long timeout = ANSWER_TIMEOUT_SECONDS + TimeUnit.MILLISECONDS.toSeconds(spec.warmupMillis()
            + spec.measureMillis());
        long[] cpuAtPhase = {-1, -1};
        String result = client.await(LoadResult.TAG, timeout, line -> {
            if (server == null || !line.startsWith("PHASE ")) {
                return;
            }
            switch (line) {
                case "PHASE measure" -> cpuAtPhase[0] = ProcessCpu.cpuNanos(server.pid());
                case "PHASE drain" -> cpuAtPhase[1] = ProcessCpu.cpuNanos(server.pid());
                default -> { }
            }
            if (!line.equals("PHASE drain")) {
                out.print(" " + line.substring("PHASE ".length()).replace("warmup", "warm-up") + "…");
                out.flush();
            }
        });
        boolean cpuKnown = cpuAtPhase[0] >= 0 && cpuAtPhase[1] >= 0;
        return new Measured(LoadResult.parse(result), cpuKnown ? cpuAtPhase[1] - cpuAtPhase[0] : -1);
    }

    private Map<String, String> environment() {
        Map<String, String> environment = Machine.describe();
        environment.put("client", "Netty pooled allocator, fast mode, " + config.clientThreads() + " thread(s)");
        environment.put("server.jvm", String.join(" ", serverFlags(JvmMode.DEFAULT)));
        for (JvmMode mode : config.modes()) {
            environment.put("mode." + mode.label(), modeFlags(mode));
        }
        environment.put("pinning", pinning.active() ? "client CPU " + CLIENT_CPU + ", servers CPU " + SERVER_CPU
            : "none (" + pinning.reason() + ")");
        return environment;
    }

    /** Writes the report's CSV, JSON and chart beside the log; returns the files written. */
    public List<Path> write(EchoReport report) throws IOException {
        return report.write(files, out, png -> EchoChart.write(report, String.format(Locale.ROOT,
            "%d connections × %d in flight, %s s × %d repeats", config.connections(), config.inFlight(),
            BigDecimal.valueOf(config.measureSeconds()).stripTrailingZeros().toPlainString(), config.repeats()), png));
    }

    /** Runs the comparison with the {@code echo.*} system properties, prints the tables and writes the files. */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        EchoBenchmark benchmark = new EchoBenchmark(EchoConfig.fromSystemProperties(), System.out);
        EchoReport report = benchmark.run();
        List<Path> files = benchmark.write(report);
        Conclusion conclusion = Conclusion.on(System.out);
        if (report.cells().stream().anyMatch(cell -> cell.bestPeer() != null)) {
            conclusion.table("apf against the best of Netty's allocators (ratios: apf ÷ best peer; > 1 is better for"
                + " msg/s, < 1 for p99 and RSS):", report.headline());
        }
        conclusion.table(report.table()).line(report.noise()).notes(report.notes())
            .took(benchmark.progress.elapsedSeconds(), files);
    }
}
