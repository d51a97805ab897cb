package io.apfmalloc.benchmarks.echo;

import static io.apfmalloc.benchmarks.harness.Json.decimal;
import static io.apfmalloc.benchmarks.harness.Statistics.median;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.harness.ComparisonReport;
import io.apfmalloc.benchmarks.harness.RatioInterval;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The results of an echo benchmark: the raw runs, their summary per allocator and configuration
 * ({@link EchoCell}), and their forms: Markdown tables, CSV (one row per run) and JSON (settings, environment, runs
 * and summary).
 */
public final class EchoReport extends ComparisonReport<EchoRun, EchoCell> {
    /** The columns of the CSV, one row per run. */
    static final List<String> CSV_COLUMNS = List.of("mode", "transport", "size", "allocator", "repeat", "messages",
        "seconds", "messages_per_s", "mb_per_s", "p50_us", "p99_us", "p999_us", "max_us", "peak_rss_bytes",
        "rss_bytes", "peak_held_bytes", "held_bytes", "heap_committed_bytes", "server_reads", "server_direct_reads",
        "server_cpu_ns", "server_cpu_us_per_msg", "verified_messages", "mismatched_messages");

    private final EchoConfig config;
    private final List<EchoCell> cells;

    /**
     * Summarizes {@code runs}.
     *
     * @param environment what to record about the machine and JVM, name to value
     * @param notes remarks for the reader, e.g. a transport skipped and why
     * @param wallSeconds how long the whole benchmark took
     */
    public EchoReport(EchoConfig config, List<EchoRun> runs, Map<String, String> environment, List<String> notes,
                      double wallSeconds) {
        super(CSV_COLUMNS, config.asProperties(), runs, environment, notes, wallSeconds);
        this.config = config;
        this.cells = summarize();
    }

    /** Returns the summary: per mode, transport and size (in run order), one cell per allocator. */
    @Override
    public List<EchoCell> cells() {
        return cells;
    }

    /** Returns the number of echoed messages that differed from what was sent, over all runs. */
    public long mismatchedMessages() {
        return runs().stream().mapToLong(run -> run.load().mismatchedMessages()).sum();
    }

    private List<EchoCell> summarize() {
        Map<String, Map<ComparedAllocator, List<EchoRun>>> byConfiguration = new LinkedHashMap<>();
        for (EchoRun run : runs()) {
            String key = run.mode() + "/" + run.transport() + "/" + run.messageSize();
            byConfiguration.computeIfAbsent(key, k -> new EnumMap<>(ComparedAllocator.class))
                .computeIfAbsent(run.allocator(), a -> new ArrayList<>()).add(run);
        }
        List<EchoCell> summary = new ArrayList<>();
        for (Map<ComparedAllocator, List<EchoRun>> byAllocator : byConfiguration.values()) {
            byAllocator.values().forEach(repeats -> repeats.sort(Comparator.comparingInt(EchoRun::repeat)));
            Map<ComparedAllocator, List<EchoRun>> peers = new EnumMap<>(byAllocator);
            peers.remove(ComparedAllocator.APF);
            ComparedAllocator fastest = best(peers, EchoReport::throughput, true);
            ComparedAllocator leastCpu = best(peers, EchoRun::serverCpuMicrosPerMessage, false);
            ComparedAllocator lowestP99 = best(peers, EchoReport::p99, false);
            ComparedAllocator smallestRss = best(peers, EchoReport::peakRss, false);
            for (ComparedAllocator allocator : config.allocators()) {
                List<EchoRun> repeats = byAllocator.get(allocator);
                if (repeats != null) {
                    summary.add(cell(repeats, fastest, leastCpu,
                        ratio(repeats, byAllocator.get(fastest), EchoReport::throughput),
                        ratio(repeats, byAllocator.get(leastCpu), EchoRun::serverCpuMicrosPerMessage),
                        ratio(repeats, byAllocator.get(lowestP99), EchoReport::p99),
                        ratio(repeats, byAllocator.get(smallestRss), EchoReport::peakRss)));
                }
            }
        }
        return List.copyOf(summary);
    }

    private static double throughput(EchoRun run) {
        return run.load().messagesPerSecond();
    }

    private static double p99(EchoRun run) {
        return run.load().p99Nanos() / 1e3;
    }

    private static double peakRss(EchoRun run) {
        return run.server().peakRssBytes();
    }

    /** Returns the peer with the best median {@code figure}, or null without peers (or figures). */
    private static ComparedAllocator best(Map<ComparedAllocator, List<EchoRun>> peers, ToDoubleFunction<EchoRun> figure,
                                          boolean higherIsBetter) {
        Comparator<Map.Entry<ComparedAllocator, List<EchoRun>>> byMedian = Comparator.comparingDouble(
            entry -> median(values(entry.getValue(), figure)));
        return peers.entrySet().stream().filter(entry -> Double.isFinite(median(values(entry.getValue(), figure))))
            .max(higherIsBetter ? byMedian : byMedian.reversed()).map(Map.Entry::getKey).orElse(null);
    }

    /** Returns {@code own}'s figure over {@code peer}'s, repeat by repeat, or null without a peer. */
    private static RatioInterval ratio(List<EchoRun> own, List<EchoRun> peer, ToDoubleFunction<EchoRun> figure) {
        if (peer == null) {
            return null;
        }
        int pairs = Math.min(own.size(), peer.size());
        return RatioInterval.paired(values(own.subList(0, pairs), figure), values(peer.subList(0, pairs), figure));
    }

    private static EchoCell cell(List<EchoRun> repeats, ComparedAllocator bestPeer, ComparedAllocator cpuBestPeer,
                                 RatioInterval throughputRatio, RatioInterval cpuRatio, RatioInterval p99Ratio,
                                 RatioInterval rssRatio) {
        EchoRun first = repeats.getFirst();
        double[] throughput = values(repeats, EchoReport::throughput);
        double[] cpu = Arrays.stream(values(repeats, EchoRun::serverCpuMicrosPerMessage)).filter(Double::isFinite)
            .toArray();
        return new EchoCell(first.mode(), first.transport(), first.messageSize(), first.allocator(), repeats.size(),
            median(throughput), min(throughput), max(throughput),
            median(values(repeats, run -> run.load().megabytesPerSecond())), median(cpu), min(cpu), max(cpu),
            median(values(repeats, run -> run.load().p50Nanos() / 1e3)), median(values(repeats, EchoReport::p99)),
            median(values(repeats, run -> run.load().p999Nanos() / 1e3)), median(values(repeats, EchoReport::peakRss)),
            median(values(repeats, run -> run.server().peakHeldBytes())), bestPeer, cpuBestPeer, throughputRatio,
            cpuRatio, p99Ratio, rssRatio);
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static double[] values(List<EchoRun> runs, ToDoubleFunction<EchoRun> value) {
        return runs.stream().mapToDouble(value).toArray();
    }

    /** Returns the full table in Markdown: one row per allocator and configuration. */
    public String table() {
        StringBuilder table = new StringBuilder();
        table.append("| mode | transport | size | allocator | msg/s | spread | MB/s | × best peer [95% CI] "
            + "| CPU µs/msg | CPU spread | CPU × best [95% CI] | p50 µs | p99 µs | p999 µs | p99 × best "
            + "| RSS MiB | RSS × best | held MiB |\n");
        table.append("|---|---|---:|---|---:|---:|---:|---|---:|---:|---|---:|---:|---:|---|---:|---|---:|\n");
        for (EchoCell cell : cells) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %,.0f | %.1f%% | %.1f | %s | %.2f "
                    + "| %.1f%% | %s | %.0f | %.0f | %.0f | %s | %.0f | %s | %.1f |%n",
                cell.mode().label(), cell.transport().label(), EchoConfig.formatSize(cell.messageSize()),
                cell.allocator().label(), cell.messagesPerSecond(), cell.spreadPercent(), cell.megabytesPerSecond(),
                interval(cell.throughputRatio(), true), cell.cpuMicrosPerMessage(), cell.cpuSpreadPercent(),
                interval(cell.cpuRatio(), false), cell.p50Micros(), cell.p99Micros(), cell.p999Micros(),
                interval(cell.p99Ratio(), false), cell.peakRssBytes() / (1 << 20), interval(cell.rssRatio(), false),
                cell.peakHeldBytes() / (1 << 20)));
        }
        return table.toString();
    }

    /**
     * Returns apf against the best peer in Markdown: one row per configuration, each ratio with its 95% confidence
     * interval, marked {@code win} or {@code loss} only where the interval excludes 1.
     */
    public String headline() {
        StringBuilder table = new StringBuilder();
        table.append("| mode | transport | size | apf msg/s | fastest peer | its msg/s | msg/s ÷ best [95% CI] "
            + "| apf CPU µs/msg | leanest peer | its CPU µs/msg | CPU ÷ best [95% CI] | p99 ÷ best | RSS ÷ best "
            + "| apf held MiB |\n");
        table.append("|---|---|---:|---:|---|---:|---|---:|---|---:|---|---|---|---:|\n");
        for (EchoCell cell : cells) {
            if (cell.allocator() != ComparedAllocator.APF || cell.bestPeer() == null) {
                continue;
            }
            EchoCell fastest = peerCell(cell, cell.bestPeer());
            EchoCell leanest = cell.cpuBestPeer() == null ? null : peerCell(cell, cell.cpuBestPeer());
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %s | %,.0f | %s | %.2f | %s | %s | %s "
                    + "| %s | %s | %.1f |%n",
                cell.mode().label(), cell.transport().label(), EchoConfig.formatSize(cell.messageSize()),
                cell.messagesPerSecond(), fastest.allocator().label(), fastest.messagesPerSecond(),
                interval(cell.throughputRatio(), true), cell.cpuMicrosPerMessage(),
                leanest == null ? "–" : leanest.allocator().label(),
                leanest == null ? "–" : String.format(Locale.ROOT, "%.2f", leanest.cpuMicrosPerMessage()),
                interval(cell.cpuRatio(), false), interval(cell.p99Ratio(), false), interval(cell.rssRatio(), false),
                cell.peakHeldBytes() / (1 << 20)));
        }
        return table.toString();
    }

    private EchoCell peerCell(EchoCell cell, ComparedAllocator peer) {
        return cells.stream().filter(c -> c.configuration().equals(cell.configuration()) && c.allocator() == peer)
            .findFirst().orElseThrow();
    }

    /**
     * Returns the noise and the resolution: the median and largest throughput spread over the cells, the median
     * CPU spread, and the median half-width of apf's intervals against the best peer (the difference one run
     * resolves), with how many configurations are wins and losses.
     */
    public String noise() {
        double[] spreads = cells.stream().mapToDouble(EchoCell::spreadPercent).toArray();
        double[] cpuSpreads = cells.stream().mapToDouble(EchoCell::cpuSpreadPercent).filter(Double::isFinite)
            .toArray();
        EchoCell worst = cells.stream()
            .max((a, b) -> Double.compare(a.spreadPercent(), b.spreadPercent())).orElseThrow();
        StringBuilder noise = new StringBuilder(String.format(Locale.ROOT, "noise: throughput spread (max − min over"
                + " median of %d repeats) is %.1f%% in the median cell, at most %.1f%% (%s, %s); CPU per message"
                + " %.1f%% in the median cell", config.repeats(), median(spreads), worst.spreadPercent(),
            worst.configuration(), worst.allocator().label(), median(cpuSpreads)));
        List<EchoCell> ours = cells.stream().filter(cell -> cell.allocator() == ComparedAllocator.APF
            && cell.bestPeer() != null).toList();
        if (config.repeats() < 2) {
            noise.append(String.format(Locale.ROOT, "%nresolution: none, intervals need at least 2 repeats"));
        } else if (!ours.isEmpty()) {
            noise.append(String.format(Locale.ROOT, "%nresolution: apf ÷ best peer's 95%% intervals are ±%.1f%% "
                    + "(msg/s) and ±%.1f%% (CPU/msg) wide in the median configuration; msg/s %s, CPU/msg %s",
                medianHalfWidth(ours, EchoCell::throughputRatio), medianHalfWidth(ours, EchoCell::cpuRatio),
                verdicts(ours, EchoCell::throughputRatio, true), verdicts(ours, EchoCell::cpuRatio, false)));
        }
        return noise.toString();
    }

    private static double medianHalfWidth(List<EchoCell> cells, Function<EchoCell, RatioInterval> ratio) {
        return median(cells.stream().map(ratio).filter(Objects::nonNull).mapToDouble(RatioInterval::halfWidthPercent)
            .filter(Double::isFinite).toArray());
    }

    private static String verdicts(List<EchoCell> cells, Function<EchoCell, RatioInterval> ratio,
                                   boolean higherIsBetter) {
        Map<String, Long> counts = cells.stream().map(ratio).filter(Objects::nonNull)
            .collect(Collectors.groupingBy(interval -> interval.verdict(higherIsBetter), Collectors.counting()));
        return String.format(Locale.ROOT, "%d wins, %d losses, %d undecided of %d", counts.getOrDefault("win", 0L),
            counts.getOrDefault("loss", 0L), counts.getOrDefault("", 0L), cells.size());
    }

    /** Formats a ratio as {@code 1.04 [1.01–1.07] win}: the verdict only where the interval excludes 1. */
    private static String interval(RatioInterval ratio, boolean higherIsBetter) {
        if (ratio == null || Double.isNaN(ratio.estimate())) {
            return "–";
        }
        if (Double.isNaN(ratio.low())) {
            return String.format(Locale.ROOT, "%.2f", ratio.estimate());
        }
        String verdict = ratio.verdict(higherIsBetter);
        return String.format(Locale.ROOT, "%.2f [%.2f–%.2f]%s", ratio.estimate(), ratio.low(), ratio.high(),
            verdict.isEmpty() ? "" : " **" + verdict + "**");
    }

    @Override
    protected List<Object> csvRow(EchoRun run) {
        LoadResult load = run.load();
        ServerStats server = run.server();
        return Arrays.asList(run.mode().label(), run.transport().label(), run.messageSize(),
            run.allocator().label(), run.repeat(), load.messages(), decimal(load.measureNanos() / 1e9),
            decimal(load.messagesPerSecond()), decimal(load.megabytesPerSecond()), decimal(load.p50Nanos() / 1e3),
            decimal(load.p99Nanos() / 1e3), decimal(load.p999Nanos() / 1e3), decimal(load.maxNanos() / 1e3),
            server.peakRssBytes(), server.rssBytes(), server.peakHeldBytes(), server.heldBytes(),
            server.heapCommittedBytes(), server.reads(), server.directReads(), run.serverCpuNanos(),
            decimal(run.serverCpuMicrosPerMessage()), load.verifiedMessages(), load.mismatchedMessages());
    }

    @Override
    protected Map<String, Object> cellValues(EchoCell cell) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("mode", cell.mode().label());
        values.put("transport", cell.transport().label());
        values.put("size", cell.messageSize());
        values.put("allocator", cell.allocator().label());
        values.put("repeats", cell.repeats());
        values.put("messages_per_s", decimal(cell.messagesPerSecond()));
        values.put("min_messages_per_s", decimal(cell.minMessagesPerSecond()));
        values.put("max_messages_per_s", decimal(cell.maxMessagesPerSecond()));
        values.put("spread_percent", decimal(cell.spreadPercent()));
        values.put("mb_per_s", decimal(cell.megabytesPerSecond()));
        values.put("p50_us", decimal(cell.p50Micros()));
        values.put("p99_us", decimal(cell.p99Micros()));
        values.put("p999_us", decimal(cell.p999Micros()));
        values.put("peak_rss_bytes", decimal(cell.peakRssBytes()));
        values.put("peak_held_bytes", decimal(cell.peakHeldBytes()));
        values.put("cpu_us_per_msg", decimal(cell.cpuMicrosPerMessage()));
        values.put("min_cpu_us_per_msg", decimal(cell.minCpuMicrosPerMessage()));
        values.put("max_cpu_us_per_msg", decimal(cell.maxCpuMicrosPerMessage()));
        values.put("best_peer", cell.bestPeer() == null ? null : cell.bestPeer().label());
        values.put("cpu_best_peer", cell.cpuBestPeer() == null ? null : cell.cpuBestPeer().label());
        putRatio(values, "throughput_vs_best_peer", cell.throughputRatio());
        putRatio(values, "cpu_vs_best_peer", cell.cpuRatio());
        putRatio(values, "p99_vs_best_peer", cell.p99Ratio());
        putRatio(values, "rss_vs_best_peer", cell.rssRatio());
        return values;
    }

    /** Puts a ratio's estimate under {@code name}, its interval's bounds under {@code name_low} and {@code _high}. */
    private static void putRatio(Map<String, Object> values, String name, RatioInterval ratio) {
        values.put(name, ratio == null ? null : decimal(ratio.estimate()));
        values.put(name + "_low", ratio == null ? null : decimal(ratio.low()));
        values.put(name + "_high", ratio == null ? null : decimal(ratio.high()));
    }
}
