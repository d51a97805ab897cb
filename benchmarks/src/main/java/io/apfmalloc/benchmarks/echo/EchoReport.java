package io.apfmalloc.benchmarks.echo;

import static io.apfmalloc.benchmarks.harness.Json.decimal;
import static io.apfmalloc.benchmarks.harness.Json.object;
import static io.apfmalloc.benchmarks.harness.Statistics.median;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.harness.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The results of an echo benchmark: the raw runs, their summary per allocator and configuration
 * ({@link EchoCell}), and their forms: Markdown tables, CSV (one row per run) and JSON (settings, environment, runs
 * and summary).
 */
public final class EchoReport {
    /** The columns of the CSV, one row per run. */
    static final List<String> CSV_COLUMNS = List.of("mode", "transport", "size", "allocator", "repeat", "messages",
        "seconds", "messages_per_s", "mb_per_s", "p50_us", "p99_us", "p999_us", "max_us", "peak_rss_bytes",
        "rss_bytes", "peak_held_bytes", "held_bytes", "heap_committed_bytes", "server_reads", "server_direct_reads",
        "verified_messages", "mismatched_messages");

    private final EchoConfig config;
    private final List<EchoRun> runs;
    private final Map<String, String> environment;
    private final List<String> notes;
    private final double wallSeconds;
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
        this.config = config;
        this.runs = List.copyOf(runs);
        this.environment = new LinkedHashMap<>(environment);
        this.notes = List.copyOf(notes);
        this.wallSeconds = wallSeconds;
        this.cells = summarize();
    }

    /** Returns the summary: per mode, transport and size (in run order), one cell per allocator. */
    public List<EchoCell> cells() {
        return cells;
    }

    /** Returns the raw runs. */
    public List<EchoRun> runs() {
        return runs;
    }

    /** Returns the number of echoed messages that differed from what was sent, over all runs. */
    public long mismatchedMessages() {
        return runs.stream().mapToLong(run -> run.load().mismatchedMessages()).sum();
    }

    private List<EchoCell> summarize() {
        Map<String, Map<ComparedAllocator, List<EchoRun>>> byConfiguration = new LinkedHashMap<>();
        for (EchoRun run : runs) {
            String key = run.mode() + "/" + run.transport() + "/" + run.messageSize();
            byConfiguration.computeIfAbsent(key, k -> new LinkedHashMap<>())
                .computeIfAbsent(run.allocator(), a -> new ArrayList<>()).add(run);
        }
        List<EchoCell> summary = new ArrayList<>();
        for (Map<ComparedAllocator, List<EchoRun>> byAllocator : byConfiguration.values()) {
            List<EchoCell> unrated = new ArrayList<>();
            for (ComparedAllocator allocator : config.allocators()) {
                List<EchoRun> repeats = byAllocator.get(allocator);
                if (repeats != null) {
                    unrated.add(cell(repeats));
                }
            }
            summary.addAll(rate(unrated));
        }
        return List.copyOf(summary);
    }

    private static EchoCell cell(List<EchoRun> repeats) {
        EchoRun first = repeats.getFirst();
        double[] throughput = values(repeats, run -> run.load().messagesPerSecond());
        return new EchoCell(first.mode(), first.transport(), first.messageSize(), first.allocator(), repeats.size(),
            median(throughput), Arrays.stream(throughput).min().orElse(0), Arrays.stream(throughput).max().orElse(0),
            median(values(repeats, run -> run.load().megabytesPerSecond())),
            median(values(repeats, run -> run.load().p50Nanos() / 1e3)),
            median(values(repeats, run -> run.load().p99Nanos() / 1e3)),
            median(values(repeats, run -> run.load().p999Nanos() / 1e3)),
            median(values(repeats, run -> run.server().peakRssBytes())),
            median(values(repeats, run -> run.server().peakHeldBytes())),
            null, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Adds the ratios to the best peer: the best of the cells other than apf's. */
    private static List<EchoCell> rate(List<EchoCell> unrated) {
        List<EchoCell> peers = unrated.stream().filter(cell -> cell.allocator() != ComparedAllocator.APF).toList();
        if (peers.isEmpty()) {
            return unrated;
        }
        EchoCell fastest = peers.stream()
            .max((a, b) -> Double.compare(a.messagesPerSecond(), b.messagesPerSecond())).orElseThrow();
        double lowestP99 = peers.stream().mapToDouble(EchoCell::p99Micros).min().orElseThrow();
        double lowestRss = peers.stream().mapToDouble(EchoCell::peakRssBytes).min().orElseThrow();
        return unrated.stream().map(c -> new EchoCell(c.mode(), c.transport(), c.messageSize(), c.allocator(),
            c.repeats(), c.messagesPerSecond(), c.minMessagesPerSecond(), c.maxMessagesPerSecond(),
            c.megabytesPerSecond(), c.p50Micros(), c.p99Micros(), c.p999Micros(), c.peakRssBytes(),
            c.peakHeldBytes(), fastest.allocator(), c.messagesPerSecond() / fastest.messagesPerSecond(),
            c.p99Micros() / lowestP99, c.peakRssBytes() / lowestRss)).toList();
    }

    private static double[] values(List<EchoRun> runs, ToDoubleFunction<EchoRun> value) {
        return runs.stream().mapToDouble(value).toArray();
    }

    /** Returns the full table in Markdown: one row per allocator and configuration. */
    public String table() {
        StringBuilder table = new StringBuilder();
        table.append("| mode | transport | size | allocator | msg/s | spread | MB/s | × best peer | p50 µs | p99 µs "
            + "| p999 µs | p99 × best | RSS MiB | RSS × best | held MiB |\n");
        table.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (EchoCell cell : cells) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %,.0f | %.1f%% | %.1f | %s | %.0f | %.0f "
                    + "| %.0f | %s | %.0f | %s | %.1f |%n",
                cell.mode().label(), cell.transport().label(), EchoConfig.formatSize(cell.messageSize()),
                cell.allocator().label(), cell.messagesPerSecond(), cell.spreadPercent(), cell.megabytesPerSecond(),
                ratio(cell.throughputRatio()), cell.p50Micros(), cell.p99Micros(), cell.p999Micros(),
                ratio(cell.p99Ratio()), cell.peakRssBytes() / (1 << 20), ratio(cell.rssRatio()),
                cell.peakHeldBytes() / (1 << 20)));
        }
        return table.toString();
    }

    /** Returns apf against the best peer in Markdown: one row per configuration. */
    public String headline() {
        StringBuilder table = new StringBuilder();
        table.append("| mode | transport | size | apf msg/s | best peer | its msg/s | apf ÷ best | p99 ÷ best "
            + "| RSS ÷ best |\n");
        table.append("|---|---|---:|---:|---|---:|---:|---:|---:|\n");
        for (EchoCell cell : cells) {
            if (cell.allocator() != ComparedAllocator.APF || cell.bestPeer() == null) {
                continue;
            }
            EchoCell peer = cells.stream().filter(c -> c.configuration().equals(cell.configuration())
                && c.allocator() == cell.bestPeer()).findFirst().orElseThrow();
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %s | %,.0f | **%s** | %s | %s |%n",
                cell.mode().label(), cell.transport().label(), EchoConfig.formatSize(cell.messageSize()),
                cell.messagesPerSecond(), peer.allocator().label(), peer.messagesPerSecond(),
                ratio(cell.throughputRatio()), ratio(cell.p99Ratio()), ratio(cell.rssRatio())));
        }
        return table.toString();
    }

    /** Returns one line on the noise: the median and largest throughput spread over the cells. */
    public String noise() {
        double[] spreads = cells.stream().mapToDouble(EchoCell::spreadPercent).toArray();
        EchoCell worst = cells.stream()
            .max((a, b) -> Double.compare(a.spreadPercent(), b.spreadPercent())).orElseThrow();
        return String.format(Locale.ROOT, "noise: throughput spread (max − min over median of %d repeats) is %.1f%% "
                + "in the median cell, at most %.1f%% (%s, %s)", config.repeats(), median(spreads),
            worst.spreadPercent(), worst.configuration(), worst.allocator().label());
    }

    /** Returns the notes: transports skipped and the like. */
    public List<String> notes() {
        return notes;
    }

    private static String ratio(double ratio) {
        return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f", ratio);
    }

    /** Writes one CSV row per run, with {@link #CSV_COLUMNS} as the header. */
    public void writeCsv(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", CSV_COLUMNS));
        for (EchoRun run : runs) {
            lines.add(runValues(run).values().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** Returns a run's figures by CSV column, in {@link #CSV_COLUMNS} order. */
    static Map<String, Object> runValues(EchoRun run) {
        LoadResult load = run.load();
        ServerStats server = run.server();
        List<Object> values = List.of(run.mode().label(), run.transport().label(), run.messageSize(),
            run.allocator().label(), run.repeat(), load.messages(), decimal(load.measureNanos() / 1e9),
            decimal(load.messagesPerSecond()), decimal(load.megabytesPerSecond()), decimal(load.p50Nanos() / 1e3),
            decimal(load.p99Nanos() / 1e3), decimal(load.p999Nanos() / 1e3), decimal(load.maxNanos() / 1e3),
            server.peakRssBytes(), server.rssBytes(), server.peakHeldBytes(), server.heldBytes(),
            server.heapCommittedBytes(), server.reads(), server.directReads(), load.verifiedMessages(),
            load.mismatchedMessages());
        Map<String, Object> byColumn = new LinkedHashMap<>();
        for (int i = 0; i < CSV_COLUMNS.size(); i++) {
            byColumn.put(CSV_COLUMNS.get(i), values.get(i));
        }
        return byColumn;
    }

    /** Writes the settings, environment, notes, runs and summary as one JSON object. */
    public void writeJson(Path file) throws IOException {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"settings\": ").append(object(new LinkedHashMap<>(config.asProperties()))).append(",\n");
        json.append("  \"environment\": ").append(object(new LinkedHashMap<>(environment))).append(",\n");
        json.append("  \"wallSeconds\": ").append(decimal(wallSeconds)).append(",\n");
        json.append("  \"notes\": [").append(notes.stream().map(Json::string).collect(Collectors.joining(", ")))
            .append("],\n");
        json.append("  \"runs\": [\n").append(runs.stream().map(run -> "    " + object(runValues(run)))
            .collect(Collectors.joining(",\n"))).append("\n  ],\n");
        json.append("  \"summary\": [\n").append(cells.stream().map(cell -> "    " + object(cellValues(cell)))
            .collect(Collectors.joining(",\n"))).append("\n  ]\n}\n");
        Files.writeString(file, json, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> cellValues(EchoCell cell) {
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
        values.put("best_peer", cell.bestPeer() == null ? null : cell.bestPeer().label());
        values.put("throughput_vs_best_peer", decimal(cell.throughputRatio()));
        values.put("p99_vs_best_peer", decimal(cell.p99Ratio()));
        values.put("rss_vs_best_peer", decimal(cell.rssRatio()));
        return values;
    }
}
