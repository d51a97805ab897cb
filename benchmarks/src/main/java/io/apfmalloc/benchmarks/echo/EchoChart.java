package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.harness.ComparisonChart;
import io.apfmalloc.benchmarks.harness.RatioInterval;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws an echo report as one PNG of three bar charts, one group of bars per configuration and one bar per
 * allocator: throughput, server CPU time per message and p99 latency over the best peer's, and the server's peak
 * resident set.
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
                "messages/s ÷ best peer", cell -> estimate(cell.throughputRatio())),
            charts.chart("Server CPU time per message ÷ best Netty allocator (lower is better)", "CPU/msg ÷ best peer",
                cell -> estimate(cell.cpuRatio())),
            charts.chart("p99 round-trip latency ÷ best Netty allocator (lower is better)", "p99 ÷ best peer",
                cell -> estimate(cell.p99Ratio())),
            charts.chart("Server peak resident set (MiB)", "MiB", cell -> cell.peakRssBytes() / (1 << 20))), file);
    }

    private static double estimate(RatioInterval ratio) {
        return ratio == null ? Double.NaN : ratio.estimate();
    }
}
