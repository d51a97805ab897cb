package io.apfmalloc.benchmarks.http;

import static io.apfmalloc.benchmarks.harness.Json.decimal;
import static io.apfmalloc.benchmarks.harness.Statistics.median;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.harness.ComparisonReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The results of an HTTP benchmark: the raw runs, their summary per allocator and configuration ({@link HttpCell}),
 * and their forms: Markdown tables, CSV (one row per run) and JSON (settings, environment, runs and summary).
 */
public final class HttpReport extends ComparisonReport<HttpRun, HttpCell> {
    /** The columns of the CSV, one row per run. */
    static final List<String> CSV_COLUMNS = List.of("mode", "protocol", "route", "allocator", "repeat", "requests",
        "seconds", "requests_per_s", "errors", "p50_us", "p90_us", "p99_us", "p999_us", "max_us", "server_requests",
        "server_cpu_ns", "cpu_us_per_request", "peak_rss_bytes", "rss_bytes", "peak_held_bytes", "held_bytes",
        "heap_committed_bytes");

    private final HttpConfig config;
    private final List<HttpCell> cells;

    /**
     * Summarizes {@code runs}.
     *
     * @param environment what to record about the machine and JVM, name to value
     * @param notes remarks for the reader, e.g. a protocol skipped and why
     * @param wallSeconds how long the whole benchmark took
     */
    public HttpReport(HttpConfig config, List<HttpRun> runs, Map<String, String> environment, List<String> notes,
                      double wallSeconds) {
        super(CSV_COLUMNS, config.asProperties(), runs, environment, notes, wallSeconds);
        this.config = config;
        this.cells = summarize();
    }

    /** Returns the summary: per mode, protocol and route (in run order), one cell per allocator. */
    @Override
    public List<HttpCell> cells() {
        return cells;
    }

    /** Returns the load generators' errors over all runs (socket errors, timeouts, non-2xx responses). */
    public long errors() {
        return runs().stream().mapToLong(run -> run.load().errors()).sum();
    }

    private List<HttpCell> summarize() {
        Map<String, Map<ComparedAllocator, List<HttpRun>>> byConfiguration = new LinkedHashMap<>();
        for (HttpRun run : runs()) {
            String key = run.mode() + "/" + run.protocol() + "/" + run.route();
            byConfiguration.computeIfAbsent(key, k -> new LinkedHashMap<>())
                .computeIfAbsent(run.allocator(), a -> new ArrayList<>()).add(run);
        }
        List<HttpCell> summary = new ArrayList<>();
        for (Map<ComparedAllocator, List<HttpRun>> byAllocator : byConfiguration.values()) {
            List<HttpCell> unrated = new ArrayList<>();
            for (ComparedAllocator allocator : config.allocators()) {
                List<HttpRun> repeats = byAllocator.get(allocator);
                if (repeats != null) {
                    unrated.add(cell(repeats));
                }
            }
            summary.addAll(rate(unrated));
        }
        return List.copyOf(summary);
    }

    private static HttpCell cell(List<HttpRun> repeats) {
        HttpRun first = repeats.getFirst();
        double[] throughput = values(repeats, run -> run.load().requestsPerSecond());
        return new HttpCell(first.mode(), first.protocol(), first.route(), first.allocator(), repeats.size(),
            median(throughput), Arrays.stream(throughput).min().orElse(0), Arrays.stream(throughput).max().orElse(0),
            median(values(repeats, run -> run.load().p50Micros())),
            median(values(repeats, run -> run.load().p99Micros())),
            median(values(repeats, run -> run.load().p999Micros())),
            median(values(repeats, run -> run.server().cpuMicrosPerRequest())),
            median(values(repeats, run -> run.server().meter().peakRssBytes())),
            median(values(repeats, run -> run.server().meter().peakHeldBytes())),
            null, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Adds the ratios to the peers: the cells other than apf's. */
    private static List<HttpCell> rate(List<HttpCell> unrated) {
        List<HttpCell> peers = unrated.stream().filter(cell -> cell.allocator() != ComparedAllocator.APF).toList();
        if (peers.isEmpty()) {
            return unrated;
        }
        HttpCell fastest = peers.stream()
            .max((a, b) -> Double.compare(a.requestsPerSecond(), b.requestsPerSecond())).orElseThrow();
        double lowestP99 = lowest(peers, HttpCell::p99Micros);
        double lowestCpu = lowest(peers, HttpCell::cpuMicrosPerRequest);
        double lowestRss = lowest(peers, HttpCell::peakRssBytes);
        return unrated.stream().map(cell -> cell.rated(fastest, lowestP99, lowestCpu, lowestRss)).toList();
    }

    private static double lowest(List<HttpCell> cells, ToDoubleFunction<HttpCell> value) {
        return cells.stream().mapToDouble(value).min().orElseThrow();
    }

    private static double[] values(List<HttpRun> runs, ToDoubleFunction<HttpRun> value) {
        return runs.stream().mapToDouble(value).toArray();
    }

    /** Returns the full table in Markdown: one row per allocator and configuration. */
    public String table() {
        StringBuilder table = new StringBuilder();
        table.append("| mode | protocol | route | allocator | req/s | spread | × best peer | p50 µs | p99 µs "
            + "| p999 µs | CPU µs/req | CPU × lowest | RSS MiB | RSS × lowest | held MiB |\n");
        table.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (HttpCell cell : cells) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %,.0f | %.1f%% | %s | %.0f | %.0f | %.0f "
                    + "| %.1f | %s | %.0f | %s | %.1f |%n",
                cell.mode().label(), cell.protocol().label(), cell.route().label(), cell.allocator().label(),
                cell.requestsPerSecond(), cell.spreadPercent(), ratio(cell.throughputRatio()), cell.p50Micros(),
                cell.p99Micros(), cell.p999Micros(), cell.cpuMicrosPerRequest(), ratio(cell.cpuRatio()),
                cell.peakRssBytes() / (1 << 20), ratio(cell.rssRatio()), cell.peakHeldBytes() / (1 << 20)));
        }
        return table.toString();
    }

    /** Returns apf against its peers in Markdown: one row per configuration. */
    public String headline() {
        StringBuilder table = new StringBuilder();
        table.append("| mode | protocol | route | apf req/s | best peer | its req/s | apf ÷ best | p99 ÷ lowest "
            + "| CPU/req ÷ lowest | RSS ÷ lowest |\n");
        table.append("|---|---|---|---:|---|---:|---:|---:|---:|---:|\n");
        for (HttpCell cell : cells) {
            if (cell.allocator() != ComparedAllocator.APF || cell.bestPeer() == null) {
                continue;
            }
            HttpCell peer = cells.stream().filter(c -> c.configuration().equals(cell.configuration())
                && c.allocator() == cell.bestPeer()).findFirst().orElseThrow();
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %s | %,.0f | **%s** | %s | %s | %s |%n",
                cell.mode().label(), cell.protocol().label(), cell.route().label(), cell.requestsPerSecond(),
                peer.allocator().label(), peer.requestsPerSecond(), ratio(cell.throughputRatio()),
                ratio(cell.p99Ratio()), ratio(cell.cpuRatio()), ratio(cell.rssRatio())));
        }
        return table.toString();
    }

    /** Returns one line on the noise: the median and largest throughput spread over the cells. */
    public String noise() {
        double[] spreads = cells.stream().mapToDouble(HttpCell::spreadPercent).toArray();
        HttpCell worst = cells.stream()
            .max((a, b) -> Double.compare(a.spreadPercent(), b.spreadPercent())).orElseThrow();
        return String.format(Locale.ROOT, "noise: throughput spread (max − min over median of %d repeats) is %.1f%% "
                + "in the median cell, at most %.1f%% (%s, %s)", config.repeats(), median(spreads),
            worst.spreadPercent(), worst.configuration(), worst.allocator().label());
    }

    private static String ratio(double ratio) {
        return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f", ratio);
    }

    @Override
    protected List<Object> csvRow(HttpRun run) {
        ToolResult load = run.load();
        HttpServerStats server = run.server();
        return List.of(run.mode().label(), run.protocol().label(), run.route().label(),
            run.allocator().label(), run.repeat(), load.requests(), decimal(load.seconds()),
            decimal(load.requestsPerSecond()), load.errors(), decimal(load.p50Micros()), decimal(load.p90Micros()),
            decimal(load.p99Micros()), decimal(load.p999Micros()), decimal(load.maxMicros()), server.requests(),
            server.meter().cpuNanos(), String.valueOf(decimal(server.cpuMicrosPerRequest())),
            server.meter().peakRssBytes(), server.meter().rssBytes(), server.meter().peakHeldBytes(),
            server.meter().heldBytes(), server.meter().heapCommittedBytes());
    }

    @Override
    protected Map<String, Object> cellValues(HttpCell cell) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("mode", cell.mode().label());
        values.put("protocol", cell.protocol().label());
        values.put("route", cell.route().label());
        values.put("allocator", cell.allocator().label());
        values.put("repeats", cell.repeats());
        values.put("requests_per_s", decimal(cell.requestsPerSecond()));
        values.put("min_requests_per_s", decimal(cell.minRequestsPerSecond()));
        values.put("max_requests_per_s", decimal(cell.maxRequestsPerSecond()));
        values.put("spread_percent", decimal(cell.spreadPercent()));
        values.put("p50_us", decimal(cell.p50Micros()));
        values.put("p99_us", decimal(cell.p99Micros()));
        values.put("p999_us", decimal(cell.p999Micros()));
        values.put("cpu_us_per_request", decimal(cell.cpuMicrosPerRequest()));
        values.put("peak_rss_bytes", decimal(cell.peakRssBytes()));
        values.put("peak_held_bytes", decimal(cell.peakHeldBytes()));
        values.put("best_peer", cell.bestPeer() == null ? null : cell.bestPeer().label());
        values.put("throughput_vs_best_peer", decimal(cell.throughputRatio()));
        values.put("p99_vs_lowest_peer", decimal(cell.p99Ratio()));
        values.put("cpu_vs_lowest_peer", decimal(cell.cpuRatio()));
        values.put("rss_vs_lowest_peer", decimal(cell.rssRatio()));
        return values;
    }
}
