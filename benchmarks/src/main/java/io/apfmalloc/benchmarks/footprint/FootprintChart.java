package io.apfmalloc.benchmarks.footprint;

import io.apfmalloc.benchmarks.JvmMode;
import io.apfmalloc.benchmarks.harness.ChartStyle;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a footprint report as one PNG: a chart per JVM mode (rows) and release (columns), the memory each allocator
 * holds over time, seconds from the release, with the live bytes as a dashed reference line.
 */
final class FootprintChart {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 440;
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
        10, new float[] {6, 4}, 0);

    private FootprintChart() {
    }

    /** Writes the charts of {@code report} to {@code file} (a {@code .png} name). */
    static void write(FootprintReport report, String subtitle, Path file) throws IOException {
        List<JvmMode> modes = report.runs().stream().map(FootprintRun::mode).distinct().toList();
        List<Release> releases = report.runs().stream().map(FootprintRun::release).distinct().toList();
        List<XYChart> charts = new ArrayList<>();
        for (JvmMode mode : modes) {
            for (Release release : releases) {
                charts.add(chart(report.runs().stream().filter(run -> run.mode() == mode && run.release() == release)
                    .toList(), mode.heading() + ", released by " + (release == Release.LOOP ? "the allocating loops"
                    : "another thread") + " — " + subtitle));
            }
        }
        BitmapEncoder.saveBitmap(charts, modes.size(), releases.size(), file.toString(),
            BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(List<FootprintRun> runs, String title) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("seconds after the release began").yAxisTitle("held MiB").build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(0);
        for (FootprintRun run : runs) {
            XYSeries series = chart.addSeries(run.allocator().label(), seconds(run),
                run.samples().stream().map(sample -> sample.heldBytes() / 1048576.0).toList());
            series.setLineColor(ChartStyle.color(run.allocator()));
            series.setMarker(SeriesMarkers.NONE);
        }
        FootprintRun first = runs.getFirst();
        XYSeries live = chart.addSeries("live", seconds(first),
            first.samples().stream().map(sample -> sample.liveBytes() / 1048576.0).toList());
        live.setLineColor(Color.BLACK);
        live.setLineStyle(DASHED);
        live.setMarker(SeriesMarkers.NONE);
        return chart;
    }

    private static List<Double> seconds(FootprintRun run) {
        return run.samples().stream().map(sample -> (sample.millis() - run.releaseMillis()) / 1e3).toList();
    }
}
