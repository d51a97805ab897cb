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
 * <p>Not thread-safe. Holds only the curve (8 bytes per allocation of a burst); each computation takes a scratch
 * array of the same size, once per burst, which is once every {@code H} allocations of its bin.
 */
final class ReuseCurve {
    private final double[] reuse;
    private int length;

    /** Makes a curve for bursts of at most {@code maxAllocations} allocations. */
    ReuseCurve(int maxAllocations) {
        this.reuse = new double[maxAllocations + 1];
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
        for (int k = 1; k <= n; k++) {
            slope += slopeChanges[k];
            windowsContaining += slope;
            reuse[k] = (double) windowsContaining / (n - k + 1);
        }
        length = n;
    }

    /** Returns the number of allocations of the last computed burst (0 before the first). */
    int length() {
        return length;
    }

    /** Returns reuse({@code k}) for {@code 1 <= k <= length()}. */
    double reuse(int k) {
        return reuse[k];
    }
}
