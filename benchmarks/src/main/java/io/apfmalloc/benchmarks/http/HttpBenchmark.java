package io.apfmalloc.benchmarks.http;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import io.apfmalloc.benchmarks.harness.ChildJvm;
import io.apfmalloc.benchmarks.harness.ComparisonChart;
import io.apfmalloc.benchmarks.harness.Conclusion;
import io.apfmalloc.benchmarks.harness.CpuPinning;
import io.apfmalloc.benchmarks.harness.Interleaving;
import io.apfmalloc.benchmarks.harness.Machine;
import io.apfmalloc.benchmarks.harness.Progress;
import io.apfmalloc.benchmarks.harness.ResultFiles;
import io.apfmalloc.benchmarks.harness.ServerGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP and TLS comparison: for each server JVM mode and protocol it starts one {@link HttpBenchServer} per
 * allocator (each its own JVM, pinned to CPU 0), then drives them with {@code wrk} (HTTP/1.1) or {@code h2load}
 * (HTTP/2 over TLS) on the other CPUs, allocators interleaved (A B C D, B C D A, …) for each route and repeat. Before
 * each measured run the tool runs unmeasured for {@code http.warmup} seconds; the server's CPU time, resident set and
 * held memory are taken over the measured run alone. It prints progress as it goes, then the tables, and writes
 * {@code http-<time>.csv}, {@code .json}, {@code .png} and the server JVMs' log to the results directory.
 *
 * <p>Settings are {@code http.*} system properties ({@link HttpConfig}). Run: {@code mvn -B -q -DskipTests
 * -Phttp-bench package}. A protocol whose tool is not installed ({@code benchmarks/install-http-load-tools.sh}) or
 * whose TLS library does not load is skipped with a note.
 */
public final class HttpBenchmark {
    /** Longest wait for a server JVM to start, or to answer a control line. */
    private static final long ANSWER_TIMEOUT_SECONDS = 60;
    /** What starting a group of servers costs, for the time-left estimate until measured. */
    private static final double SERVER_START_SECONDS = 2;
    /** What a run costs beyond its load (starting the tool, TLS handshakes, stats), for the estimate. */
    private static final double RUN_OVERHEAD_SECONDS = 0.4;
    /** Direct-memory limit of every server JVM (Netty's and ours), as large as its heap. */
    private static final long SERVER_MEMORY_LIMIT = 1L << 30;
    /** Requests per second a fresh server is assumed to serve, for its first counted run (a short one). */
    private static final double INITIAL_RATE_GUESS = 500;
    /** The CPU the servers are pinned to; the load generator gets the others. */
    static final int SERVER_CPU = 0;

    private final HttpConfig config;
    private final PrintStream out;
    private final ResultFiles files;
    private final Path workDirectory;

    /** The last rate of each server (by port) and route, for h2load's request counts. */
    private final Map<String, Double> lastRates = new HashMap<>();
    /** The server on CPU {@link #SERVER_CPU}, the load generator on the others, where {@code taskset} allows. */
    private final CpuPinning pinning;
    private Progress progress = new Progress(0, 0);

    /** Makes a benchmark of {@code config} that reports progress to {@code out}. */
    public HttpBenchmark(HttpConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.files = new ResultFiles(config.resultsDirectory(), "http");
        this.workDirectory = files.file("work");
        this.pinning = config.pin() ? CpuPinning.detect() : CpuPinning.off("http.pin=false");
    }

    /** Runs the whole comparison and returns its report; throws if a server or a load generator fails. */
    public HttpReport run() throws Exception {
        Files.createDirectories(config.resultsDirectory());
        List<String> notes = new ArrayList<>();
        List<HttpProtocol> protocols = new ArrayList<>();
        for (HttpProtocol protocol : config.protocols()) {
            String cause = protocol.unavailabilityCause();
            if (cause == null) {
                protocols.add(protocol);
            } else {
                notes.add(protocol.label() + " skipped: " + cause);
            }
        }
        if (!pinning.active()) {
            notes.add("not pinned: " + pinning.reason());
        }
        notes.forEach(note -> out.println("note: " + note));
        Map<String, String> environment = environment();
        plan(protocols.size());
        List<HttpRun> runs = new ArrayList<>();
        Path keyStore = SelfSignedKeyStore.generate(workDirectory.resolve("server.p12"));
        for (JvmMode mode : config.modes()) {
            for (HttpProtocol protocol : protocols) {
                runs.addAll(runGroup(mode, protocol, keyStore));
            }
        }
        environment.put("loadavg.end", Machine.loadAverage());
        return new HttpReport(config, runs, environment, notes, progress.elapsedSeconds());
    }

    private void plan(int protocols) {
        int groups = config.modes().size() * protocols;
        int allocators = config.allocators().size();
        int routes = config.routes().size();
        int runsTotal = groups * routes * config.repeats() * allocators;
        double plannedTotalSeconds = groups * (SERVER_START_SECONDS
            + allocators * routes * (config.serverWarmupSeconds() + RUN_OVERHEAD_SECONDS))
            + runsTotal * (config.warmupSeconds() + config.measureSeconds() + 2 * RUN_OVERHEAD_SECONDS);
        progress = new Progress(runsTotal, plannedTotalSeconds);
        out.printf(Locale.ROOT, "http benchmark: %d modes × %d protocols × %d routes × %d allocators × %d repeats"
                + " = %d runs of %d s warm-up + %d s measured; %d connections (%d HTTP/2 streams each); about %s%n",
            config.modes().size(), protocols, routes, allocators, config.repeats(), runsTotal,
            config.warmupSeconds(), config.measureSeconds(), config.connections(), config.streams(),
            Progress.duration(plannedTotalSeconds));
        out.println("results and server JVM logs: " + config.resultsDirectory().toAbsolutePath());
    }

    /** Starts one server per allocator, warms them up, runs every route and repeat interleaved, stops them. */
    private List<HttpRun> runGroup(JvmMode mode, HttpProtocol protocol, Path keyStore) throws Exception {
        String group = mode.label() + " " + protocol.label();
        out.printf(Locale.ROOT, "%s starting %d servers (%s mode%s)…%n", progress.prefix(), config.allocators().size(),
            mode.label(), mode.flags().isEmpty() ? "" : ": " + String.join(" ", mode.flags()));
        List<HttpRun> runs = new ArrayList<>();
        try (ServerGroup<ComparedAllocator> servers = ServerGroup.start(config.allocators(),
                allocator -> "server " + group + " " + allocator.label(),
                allocator -> pinning.pin(ChildJvm.command(serverFlags(mode), HttpBenchServer.class,
                    List.of(allocator.label(), protocol.label(), keyStore.toString())), SERVER_CPU),
                files.log(), ANSWER_TIMEOUT_SECONDS)) {
            progress.advance(SERVER_START_SECONDS);
            if (config.serverWarmupSeconds() > 0) {
                for (ComparedAllocator allocator : config.allocators()) {
                    out.printf(Locale.ROOT, "%s %s %-8s server warm-up %d s per route%n", progress.prefix(), group,
                        allocator.label(), config.serverWarmupSeconds());
                    for (HttpRoute route : config.routes()) {
                        load(protocol, servers.port(allocator), route, config.serverWarmupSeconds());
                        progress.advance(config.serverWarmupSeconds() + RUN_OVERHEAD_SECONDS);
                    }
                }
            }
            for (Interleaving.Turn<HttpRoute, ComparedAllocator> turn : Interleaving.turns(config.routes(),
                    config.repeats(), config.allocators())) {
                runs.add(measure(mode, protocol, turn.item(), turn.allocator(), turn.repeat(),
                    servers.server(turn.allocator()), servers.port(turn.allocator())));
            }
        }
        return runs;
    }

    private HttpRun measure(JvmMode mode, HttpProtocol protocol, HttpRoute route, ComparedAllocator allocator,
                            int repeat, ChildJvm server, int port) throws Exception {
        out.printf(Locale.ROOT, "%s %s %-10s %-5s  repeat %d/%d  %-8s", progress.prefix(), mode.label(),
            protocol.label(), route.label(), repeat, config.repeats(), allocator.label());
        if (config.warmupSeconds() > 0) {
            out.print(" warm-up…");
            out.flush();
            load(protocol, port, route, config.warmupSeconds());
        }
        server.ask("reset", "OK", ANSWER_TIMEOUT_SECONDS);
        out.print(" measure…");
        out.flush();
        ToolResult load = load(protocol, port, route, config.measureSeconds());
        HttpServerStats stats = HttpServerStats.parse(server.ask("stats", HttpServerStats.TAG,
            ANSWER_TIMEOUT_SECONDS));
        progress.runDone(config.warmupSeconds() + config.measureSeconds() + 2 * RUN_OVERHEAD_SECONDS);
        out.printf(Locale.ROOT, " %,9.0f req/s  p99 %,7.0f µs  CPU %6.1f µs/req  RSS %4d MiB  held %6.1f MiB%s%n",
            load.requestsPerSecond(), load.p99Micros(), stats.cpuMicrosPerRequest(),
            stats.meter().peakRssBytes() >> 20, stats.meter().peakHeldBytes() / 1048576.0,
            load.errors() == 0 ? "" : "  ERRORS " + load.errors());
        return new HttpRun(mode, protocol, route, allocator, repeat, load, stats);
    }

    /** Runs the tool for about {@code seconds}; remembers the rate for the next counted run on this server. */
    private ToolResult load(HttpProtocol protocol, int port, HttpRoute route, int seconds) throws Exception {
        String server = port + route.path();
        ToolResult result = protocol.tool().run(new LoadRequest(protocol, port, route, config.connections(),
            config.streams(), seconds, lastRates.getOrDefault(server, INITIAL_RATE_GUESS)), workDirectory, pinning);
        lastRates.put(server, result.requestsPerSecond());
        return result;
    }

    /** The mode's flags, a 1 GiB heap and direct-memory limit, a fixed young generation, then the extra flags. */
    private List<String> serverFlags(JvmMode mode) {
        return ChildJvm.allocatorFlags(mode, SERVER_MEMORY_LIMIT, config.serverJvmArgs());
    }

    private Map<String, String> environment() {
        Map<String, String> environment = Machine.describe();
        environment.put("load.http1", "wrk, 1 thread, " + config.connections() + " connections");
        environment.put("load.h2", "h2load, 1 thread, " + config.connections() + " connections × "
            + config.streams() + " streams");
        environment.put("pinning", pinning.active()
            ? "server on CPU " + SERVER_CPU + ", load generator on the others (" + pinning.reason() + ")"
            : "none: " + pinning.reason());
        environment.put("server.jvm", String.join(" ", serverFlags(JvmMode.DEFAULT)));
        return environment;
    }

    /** Writes the report's CSV, JSON and chart beside the log; returns the files written. */
    public List<Path> write(HttpReport report) throws IOException {
        return report.write(files, out, png -> {
            ComparisonChart<HttpCell> charts = new ComparisonChart<>(report.cells(), HttpCell::configuration,
                HttpCell::allocator, "JVM mode, protocol, route");
            ComparisonChart.write(List.of(
                charts.chart(String.format(Locale.ROOT, "HTTP requests/s ÷ best Netty allocator (higher is better)"
                        + " — %d connections, %d s × %d repeats", config.connections(), config.measureSeconds(),
                    config.repeats()), "requests/s ÷ best peer", HttpCell::throughputRatio),
                charts.chart("Server CPU time per request ÷ lowest Netty allocator (lower is better)",
                    "CPU/request ÷ lowest peer", HttpCell::cpuRatio),
                charts.chart("Server peak resident set (MiB)", "MiB", cell -> cell.peakRssBytes() / (1 << 20))),
                png);
        });
    }

    /** Runs the comparison with the {@code http.*} system properties, prints the tables and writes the files. */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        HttpBenchmark benchmark = new HttpBenchmark(HttpConfig.fromSystemProperties(), System.out);
        HttpReport report = benchmark.run();
        List<Path> files = benchmark.write(report);
        Conclusion conclusion = Conclusion.on(System.out);
        if (report.cells().stream().anyMatch(cell -> cell.bestPeer() != null)) {
            conclusion.table("apf against Netty's allocators (apf ÷ best peer for req/s, > 1 is better; ÷ lowest peer"
                + " for p99, CPU per request and RSS, < 1 is better):", report.headline());
        }
        conclusion.table(report.table()).line(report.noise()).notes(report.notes());
        if (report.errors() != 0) {
            conclusion.line("note: the load generators counted " + report.errors() + " errors (see the CSV)");
        }
        conclusion.took(benchmark.progress.elapsedSeconds(), files);
    }
}
