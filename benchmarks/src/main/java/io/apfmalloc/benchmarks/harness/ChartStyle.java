package io.apfmalloc.benchmarks.harness;

import io.apfmalloc.benchmarks.ComparedAllocator;
import java.awt.Color;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/** The look every benchmark chart shares: one colour per allocator, white background, legend to the right. */
public final class ChartStyle {
    /** apf, pooled, adaptive, unpooled: ours stands out, Netty's in muted shades. */
    private static final Color[] COLORS = {new Color(0xD9480F), new Color(0x1C7ED6), new Color(0x37B24D),
        new Color(0x868E96)};

    private ChartStyle() {
    }

    /** Returns the colour of {@code allocator}'s series. */
    public static Color color(ComparedAllocator allocator) {
        return COLORS[allocator.ordinal()];
    }

    /** Returns the colours of all allocators' series, in {@link ComparedAllocator}'s order. */
    public static Color[] colors() {
        return COLORS.clone();
    }

    /** Applies the shared look to {@code styler}. */
    public static void apply(AxesChartStyler styler) {
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setYAxisDecimalPattern("0.##");
    }
}
