package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.harness.ComparisonChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws an echo report as one PNG of three bar charts, one group of bars per configuration and one bar per
 * allocator: throughput over the best peer's, p99 latency over the best peer's, and the server's peak resident set.
 */
final class EchoChart {
    private EchoChart() {
    }

    /** Writes the chart of {@code report} to {@code file} (a {@code .png} name). */
    static void write(EchoReport report, String subtitle, Path file) throws IOException {
        ComparisonChart<EchoCell> charts = new ComparisonChart<>(report.cells(), EchoCell::configuration,
            EchoCell::allocator, "JVM mode, transport, message size");
        ComparisonChart.write(List.of(
            charts.chart("Echo throughput ÷ best Netty allocator (higher is better) — " + subtitle,
                "messages/s ÷ best peer", EchoCell::throughputRatio),
            charts.chart("p99 round-trip latency ÷ best Netty allocator (lower is better)", "p99 ÷ best peer",
                EchoCell::p99Ratio),
            charts.chart("Server peak resident set (MiB)", "MiB", cell -> cell.peakRssBytes() / (1 << 20))), file);
    }
}
