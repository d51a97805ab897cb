package io.apfmalloc.core.internal.tcache;

import java.util.Arrays;

/**
 * The reuse curve of one sampled burst (DESIGN §3): for every window length {@code k}, how many free intervals lie
 * wholly inside a window of {@code k} consecutive allocations, averaged over all such windows.
 *
 * <p>An interval {@code (s, e)} is a block freed when {@code s} allocations had been made and allocated again as
 * allocation number {@code e} (0-based, {@code e >= s}); its length is {@code L = e - s + 1}. It lies inside
 * <pre>  c(k) = max(0, min(k - L + 1, s + 1, n - e, n - k + 1))</pre>
 * of the {@code n - k + 1} windows. As {@code k} grows, {@code c} is 0 below {@code L}, rises by one per step to the
 * plateau {@code A = min(s + 1, n - e)}, stays there, and falls by one per step once {@code n - k + 1 < A} (the
 * rise always reaches the plateau first, since {@code 2A <= n - L + 2}). So the slope changes at most three times,
 * and the sum over all intervals for every {@code k} takes one pass over a second-difference array: O(n + intervals).
 *
 * <p>What is kept: the curve at every {@code k} up to {@value #EXACT_UP_TO}, then at eight points per octave
 * ({@code 2^o + j·2^(o-3)}), and at {@code n}; between two points it is read linearly. A curve of the default 256
 * allocations is 49 floats (a tenth of the bytes of every value as doubles): a thread that used every size class
 * keeps 64 of them, and each is read only to size a fetch, where a step of an eighth of {@code k} moves the demand
 * by a few blocks at most. Not thread-safe; each computation takes a scratch array of {@code n + 3} entries.
 */
final class ReuseCurve {
    /** Every {@code k} up to this is kept exactly; a power of two of at least {@code 2^}{@value #OCTAVE_STEPS_LOG}. */
    static final int EXACT_UP_TO = 16;
    /** Points per octave past {@link #EXACT_UP_TO}, as a power of two. */
    private static final int OCTAVE_STEPS_LOG = 3;
    private static final int EXACT_LOG = Integer.numberOfTrailingZeros(EXACT_UP_TO);

    private final float[] points;
    private double reuseAtLength;
    private int length;

    /** Makes a curve for bursts of at most {@code maxAllocations} allocations. */
    ReuseCurve(int maxAllocations) {
        this.points = new float[pointIndex(maxAllocations) + 1];
    }

    /** Returns the index of the largest kept point at or below {@code k >= 1}. */
    static int pointIndex(int k) {
        if (k <= EXACT_UP_TO) {
            return k - 1;
        }
        int octave = 31 - Integer.numberOfLeadingZeros(k);
        int step = octave - OCTAVE_STEPS_LOG;
        return EXACT_UP_TO - 1 + ((octave - EXACT_LOG) << OCTAVE_STEPS_LOG) + ((k - (1 << octave)) >> step);
    }

    /** Returns the window length {@code k} of kept point {@code index}: the inverse of {@link #pointIndex}. */
    static int point(int index) {
        if (index < EXACT_UP_TO) {
            return index + 1;
        }
        int past = index - (EXACT_UP_TO - 1);
        int octave = EXACT_LOG + (past >> OCTAVE_STEPS_LOG);
        int step = past & ((1 << OCTAVE_STEPS_LOG) - 1);
        return (1 << octave) + (step << (octave - OCTAVE_STEPS_LOG));
    }

    /**
     * Computes the curve of a burst of {@code n} allocations from its free intervals.
     *
     * @param n     allocations in the burst
     * @param frees free times {@code s} of the intervals
     * @param ends  allocation numbers {@code e} of the intervals
     * @param count number of intervals
     * @param slopeChanges scratch of at least {@code n + 3} entries; its contents are overwritten
     */
    void compute(int n, int[] frees, int[] ends, int count, long[] slopeChanges) {
        Arrays.fill(slopeChanges, 0, n + 3, 0L);
        for (int i = 0; i < count; i++) {
            int s = frees[i];
            int e = ends[i];
            assert 0 <= s && s <= e && e < n : s + ".." + e + " of " + n;
            int intervalLength = e - s + 1;
            int plateau = Math.min(s + 1, n - e);
            int riseEnd = intervalLength + plateau - 1;
            int fallStart = n - plateau + 1;
            slopeChanges[intervalLength] += 1;
            slopeChanges[riseEnd + 1] -= 1;
            slopeChanges[fallStart + 1] -= 1;
        }
        long slope = 0;
        long windowsContaining = 0;
        int nextPoint = 0;
        for (int k = 1; k <= n; k++) {
            slope += slopeChanges[k];
            windowsContaining += slope;
            if (k == point(nextPoint)) {
                points[nextPoint++] = (float) ((double) windowsContaining / (n - k + 1));
            }
        }
        // The one window of length n holds every interval counted by the last step.
        reuseAtLength = windowsContaining;
        length = n;
    }

    /** Returns the number of allocations of the last computed burst (0 before the first). */
    int length() {
        return length;
    }

    /** Returns reuse({@code k}) for {@code 1 <= k <= length()}: kept, or read linearly between kept points. */
    double reuse(int k) {
        if (k == length) {
            return reuseAtLength;
        }
        int index = pointIndex(k);
        int below = point(index);
        if (below == k) {
            return points[index];
        }
        int above = point(index + 1);
        double atAbove = above < length ? points[index + 1] : reuseAtLength;
        above = Math.min(above, length);
        return points[index] + (atAbove - points[index]) * (k - below) / (above - below);
    }
}
