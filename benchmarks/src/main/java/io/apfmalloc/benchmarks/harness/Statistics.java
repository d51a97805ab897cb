package io.apfmalloc.benchmarks.harness;

import java.util.Arrays;

/** Summaries of repeated measurements. */
public final class Statistics {
    private Statistics() {
    }

    /** Returns the median of {@code values} (the mean of the middle two for an even count), 0 if empty. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
