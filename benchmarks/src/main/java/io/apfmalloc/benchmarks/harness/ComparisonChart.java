package io.apfmalloc.benchmarks.harness;

import io.apfmalloc.benchmarks.ComparedAllocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Bar charts of a comparison's summary: one group of bars per configuration, one bar per allocator, in the shared
 * look ({@link ChartStyle}); several of them stacked in one PNG.
 *
 * @param <C> the summary's cell type: one allocator in one configuration
 */
public final class ComparisonChart<C> {
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 460;
    /** A dozen configurations' labels side by side overlap; slanted they fit. */
    private static final int LABEL_ROTATION_DEGREES = 20;

    private final List<C> cells;
    private final Function<C, String> configuration;
    private final Function<C, ComparedAllocator> allocator;
    private final String xAxis;

    /**
     * Charts {@code cells}, grouped by {@code configuration} (in their order) and coloured by {@code allocator}, with
     * {@code xAxis} naming what a configuration is.
     */
    public ComparisonChart(List<C> cells, Function<C, String> configuration, Function<C, ComparedAllocator> allocator,
                           String xAxis) {
        this.cells = List.copyOf(cells);
        this.configuration = configuration;
        this.allocator = allocator;
        this.xAxis = xAxis;
    }

    /** Returns one chart of {@code value} per cell; an allocator missing from some configuration gets no bars. */
    public CategoryChart chart(String title, String yAxis, ToDoubleFunction<C> value) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle(xAxis).yAxisTitle(yAxis).build();
        ChartStyle.apply(chart.getStyler());
        chart.getStyler().setXAxisLabelRotation(LABEL_ROTATION_DEGREES);
        List<String> configurations = cells.stream().map(configuration).distinct().toList();
        for (ComparedAllocator kind : ComparedAllocator.values()) {
            List<C> series = cells.stream().filter(cell -> allocator.apply(cell) == kind).toList();
            if (series.size() == configurations.size()) {
                chart.addSeries(kind.label(), configurations,
                    series.stream().map(cell -> finite(value.applyAsDouble(cell))).toList()).setFillColor(
                    ChartStyle.color(kind));
            }
        }
        return chart;
    }

    /** Writes {@code charts} one above the other to {@code file} (a {@code .png} name). */
    public static void write(List<CategoryChart> charts, Path file) throws IOException {
        BitmapEncoder.saveBitmap(charts, charts.size(), 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0;
    }
}
