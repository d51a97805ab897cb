package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.harness.ChartStyle;
import io.apfmalloc.benchmarks.harness.RatioInterval;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Draws an echo report as one PNG of three bar charts, one group of bars per configuration and one bar per
 * allocator: throughput, server CPU time per message and p99 latency over the best peer's, and the server's peak
 * resident set.
 */
final class EchoChart {
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 460;
    /** Twelve configurations' labels side by side overlap; slanted they fit. */
    private static final int LABEL_ROTATION_DEGREES = 20;

    private EchoChart() {
    }

    /** Writes the chart of {@code report} to {@code file} (a {@code .png} name). */
    static void write(EchoReport report, String subtitle, Path file) throws IOException {
        List<CategoryChart> charts = List.of(
            chart(report, "Echo throughput ÷ best Netty allocator (higher is better) — " + subtitle,
                "messages/s ÷ best peer", cell -> estimate(cell.throughputRatio())),
            chart(report, "Server CPU time per message ÷ best Netty allocator (lower is better)", "CPU/msg ÷ best peer",
                cell -> estimate(cell.cpuRatio())),
            chart(report, "p99 round-trip latency ÷ best Netty allocator (lower is better)", "p99 ÷ best peer",
                cell -> estimate(cell.p99Ratio())),
            chart(report, "Server peak resident set (MiB)", "MiB", cell -> cell.peakRssBytes() / (1 << 20)));
        BitmapEncoder.saveBitmap(charts, charts.size(), 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static CategoryChart chart(EchoReport report, String title, String yAxis,
                                       ToDoubleFunction<EchoCell> value) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("JVM mode, transport, message size").yAxisTitle(yAxis).build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setSeriesColors(ChartStyle.colors());
        chart.getStyler().setXAxisLabelRotation(LABEL_ROTATION_DEGREES);
        List<String> configurations = report.cells().stream().map(EchoCell::configuration).distinct().toList();
        for (ComparedAllocator allocator : ComparedAllocator.values()) {
            List<EchoCell> cells = report.cells().stream().filter(cell -> cell.allocator() == allocator).toList();
            if (cells.size() == configurations.size()) {
                chart.addSeries(allocator.label(), configurations,
                    cells.stream().map(cell -> finite(value.applyAsDouble(cell))).toList());
            }
        }
        return chart;
    }

    private static double estimate(RatioInterval ratio) {
        return ratio == null ? Double.NaN : ratio.estimate();
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0;
    }
}
