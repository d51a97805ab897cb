package io.apfmalloc.core.internal.tcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ReuseCurveTest {
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
            assertEquals(expected[k - 1], curve.reuse(k), 1e-12, "reuse(" + k + ")");
        }
    }

    @Test
    void matchesBruteForceOnRandomTraces() {
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
                assertEquals(bruteForceReuse(n, frees, ends, count, k), curve.reuse(k), 1e-9,
                    "seed " + seed + " trial " + trial + " n " + n + " k " + k);
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
