package io.apfmalloc.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The paired ratio and its t interval, checked against figures worked out by hand. */
class RatioIntervalTest {
    @Test
    void equalPairsGiveAPointInterval() {
        RatioInterval ratio = RatioInterval.paired(new double[] {2, 4, 8}, new double[] {1, 2, 4});
        assertEquals(2, ratio.estimate(), 1e-12);
        assertEquals(2, ratio.low(), 1e-12);
        assertEquals(2, ratio.high(), 1e-12);
        assertEquals(3, ratio.pairs());
        assertEquals("win", ratio.verdict(true));
        assertEquals("loss", ratio.verdict(false));
    }

    @Test
    void intervalIsStudentsTOverTheLogRatios() {
        // Ratios e^0.1 and e^-0.1 ... : logs ±0.1 around 0, sd 0.1155 over 4 pairs, t(3) = 3.182.
        double e = Math.exp(0.1);
        RatioInterval ratio = RatioInterval.paired(new double[] {e, 1 / e, e, 1 / e}, new double[] {1, 1, 1, 1});
        double halfWidth = 3.182 * Math.sqrt(4 * 0.01 / 3) / 2;
        assertEquals(1, ratio.estimate(), 1e-12);
        assertEquals(Math.exp(-halfWidth), ratio.low(), 1e-9);
        assertEquals(Math.exp(halfWidth), ratio.high(), 1e-9);
        assertEquals("", ratio.verdict(true), "an interval that holds 1 decides nothing");
        assertFalse(ratio.above1() || ratio.below1());
        assertEquals(50 * (Math.exp(halfWidth) - Math.exp(-halfWidth)), ratio.halfWidthPercent(), 1e-9);
    }

    @Test
    void pairsWithoutAFigureAreSkippedAndOnePairHasNoInterval() {
        RatioInterval ratio = RatioInterval.paired(new double[] {3, Double.NaN, 5}, new double[] {1, 1, 0});
        assertEquals(1, ratio.pairs());
        assertEquals(3, ratio.estimate(), 1e-12);
        assertTrue(Double.isNaN(ratio.low()) && Double.isNaN(ratio.high()));
        assertEquals("", ratio.verdict(true));
        assertEquals(0, RatioInterval.paired(new double[0], new double[0]).pairs());
        assertThrows(IllegalArgumentException.class, () -> RatioInterval.paired(new double[1], new double[2]));
    }

    @Test
    void quantilesFollowTheTableThenApproachTheNormal() {
        assertEquals(12.706, RatioInterval.tQuantile(1));
        assertEquals(2.776, RatioInterval.tQuantile(4));
        assertEquals(2.042, RatioInterval.tQuantile(30));
        assertEquals(2.000, RatioInterval.tQuantile(60), 0.005);
        assertEquals(1.980, RatioInterval.tQuantile(120), 0.005);
    }
}
