package io.apfmalloc.core.internal.tcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReuseCurveTest {
    /** Kept points are floats: about seven significant digits. */
    private static final double FLOAT_TOLERANCE = 1e-6;

    /** The definition itself: slide every window, count intervals inside it. O(n^2 * intervals). */
    private static double bruteForceReuse(int n, int[] frees, int[] ends, int count, int k) {
        long inside = 0;
        for (int start = 0; start + k <= n; start++) {
            for (int i = 0; i < count; i++) {
                if (start <= frees[i] && ends[i] <= start + k - 1) {
                    inside++;
                }
            }
        }
        return (double) inside / (n - k + 1);
    }

    @Test
    void matchesTheDesignTestVector() {
        // A1 A2 F1 A1 F2 A2 F1 A3 A1: allocations 0..5; F1 at s=2 -> A1 is allocation 2; F2 at s=3 -> allocation 3;
        // F1 at s=4 -> allocation 5.
        ReuseCurve curve = new ReuseCurve(16);
        curve.compute(6, new int[] {2, 3, 4}, new int[] {2, 3, 5}, 3, new long[9]);
        double[] expected = {1.0 / 3, 1, 7.0 / 4, 7.0 / 3, 5.0 / 2, 3};
        assertEquals(6, curve.length());
        for (int k = 1; k <= 6; k++) {
            assertEquals(expected[k - 1], curve.reuse(k), FLOAT_TOLERANCE * k, "reuse(" + k + ")");
        }
    }

    @Test
    void matchesBruteForceAtKeptPointsAndReadsLinearlyBetween() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        ReuseCurve curve = new ReuseCurve(200);
        long[] scratch = new long[203];
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + random.nextInt(200);
            int count = random.nextInt(n + 1);
            int[] frees = new int[count];
            int[] ends = new int[count];
            for (int i = 0; i < count; i++) {
                frees[i] = random.nextInt(n);
                ends[i] = frees[i] + random.nextInt(n - frees[i]);
            }
            curve.compute(n, frees, ends, count, scratch);
            for (int k = 1; k <= n; k++) {
                int below = ReuseCurve.point(ReuseCurve.pointIndex(k));
                int above = Math.min(n, ReuseCurve.point(ReuseCurve.pointIndex(k) + 1));
                double expected = bruteForceReuse(n, frees, ends, count, below);
                if (below != k) {
                    double atAbove = bruteForceReuse(n, frees, ends, count, above);
                    expected += (atAbove - expected) * (k - below) / (above - below);
                }
                assertEquals(expected, curve.reuse(k), FLOAT_TOLERANCE * Math.max(1, expected),
                    "seed " + seed + " trial " + trial + " n " + n + " k " + k);
            }
        }
    }

    @Test
    void keepsEveryShortWindowThenEightPointsPerOctave() {
        for (int k = 1; k <= ReuseCurve.EXACT_UP_TO; k++) {
            assertEquals(k, ReuseCurve.point(ReuseCurve.pointIndex(k)), "k " + k);
        }
        assertEquals(List.of(16, 18, 20, 22, 24, 26, 28, 30, 32, 36),
            IntStream.range(15, 25).map(ReuseCurve::point).boxed().toList());
        for (int index = 0; index < 120; index++) {
            int point = ReuseCurve.point(index);
            int next = ReuseCurve.point(index + 1);
            assertTrue(next > point && next - point <= Math.max(1, point / 8), point + " then " + next);
            for (int k = point; k < next; k++) {
                assertEquals(index, ReuseCurve.pointIndex(k), "k " + k);
            }
        }
    }

    @Test
    void reusesItsArraysAndScratchAcrossBursts() {
        ReuseCurve curve = new ReuseCurve(8);
        long[] scratch = new long[11];
        curve.compute(8, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 8, scratch);
        curve.compute(4, new int[0], new int[0], 0, scratch);
        for (int k = 1; k <= 4; k++) {
            assertEquals(0, curve.reuse(k), "k " + k);
        }
    }
}
