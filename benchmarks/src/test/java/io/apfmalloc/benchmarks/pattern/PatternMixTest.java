package io.apfmalloc.benchmarks.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The size mixes' tables, their sampling, and the band table the traffic capture derives them with. */
class PatternMixTest {
    private static final int MAX_BUFFER_BYTES = 64 << 10;

    @ParameterizedTest
    @EnumSource(TrafficMix.class)
    void tablesAreValid(TrafficMix mix) {
        List<SizeMix.Band> bands = mix.sizes().bands();
        assertEquals(SizeMix.TOTAL_WEIGHT, bands.stream().mapToInt(SizeMix.Band::weight).sum(), "weights sum");
        for (int i = 0; i < bands.size(); i++) {
            SizeMix.Band band = bands.get(i);
            assertTrue(band.minBytes() >= 1 && band.maxBytes() <= MAX_BUFFER_BYTES, "size in range: " + band);
            assertTrue(i == 0 || band.minBytes() > bands.get(i - 1).maxBytes(), "in order, no overlap: " + band);
        }
        assertEquals(mix, TrafficMix.of(mix.label().toUpperCase(java.util.Locale.ROOT)));
    }

    @ParameterizedTest
    @EnumSource(TrafficMix.class)
    void drawsFollowTheWeights(TrafficMix mix) {
        SizeMix sizes = mix.sizes();
        SplittableRandom random = new SplittableRandom(7);
        int draws = 200_000;
        long[] perBand = new long[sizes.bands().size()];
        double sum = 0;
        for (int i = 0; i < draws; i++) {
            int size = sizes.draw(random);
            sum += size;
            int band = bandOf(sizes, size);
            assertTrue(band >= 0, "drawn size " + size + " lies in a band");
            perBand[band]++;
        }
        for (int i = 0; i < perBand.length; i++) {
            double expected = (double) sizes.bands().get(i).weight() / SizeMix.TOTAL_WEIGHT;
            assertEquals(expected, (double) perBand[i] / draws, 0.005, "share of " + sizes.bands().get(i));
        }
        assertEquals(sizes.meanBytes(), sum / draws, sizes.meanBytes() * 0.02, "mean size");
    }

    private static int bandOf(SizeMix sizes, int size) {
        for (int i = 0; i < sizes.bands().size(); i++) {
            if (size >= sizes.bands().get(i).minBytes() && size <= sizes.bands().get(i).maxBytes()) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void badTablesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SizeMix("short", List.of(SizeMix.size(64, 9_999))));
        assertThrows(IllegalArgumentException.class, () -> new SizeMix("overlap",
            List.of(SizeMix.range(64, 128, 5_000), SizeMix.range(128, 256, 5_000))));
        assertThrows(IllegalArgumentException.class, () -> SizeMix.range(0, 8, 1));
    }

    @Test
    void captureBandsKeepFrequentSizesAndSumExactly() {
        TreeMap<Integer, Long> histogram = new TreeMap<>();
        histogram.put(2, 5L);
        histogram.put(300, 1L);
        histogram.put(301, 1L);
        histogram.put(700, 1L);
        histogram.put(2048, 500L);
        histogram.put(16709, 300L);
        histogram.put(65536, 192L);
        List<SizeMix.Band> bands = TrafficCapture.bands(histogram);
        assertEquals(List.of(SizeMix.size(2, 50), SizeMix.range(300, 301, 20), SizeMix.range(700, 700, 10),
            SizeMix.size(2048, 5000), SizeMix.size(16709, 3000), SizeMix.size(65536, 1920)), bands);
        new SizeMix("captured", bands);
    }
}
