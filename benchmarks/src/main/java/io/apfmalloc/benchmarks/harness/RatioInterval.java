package io.apfmalloc.benchmarks.harness;

/**
 * A ratio between two allocators' figures with its 95% confidence interval, from repeats measured in pairs (repeat
 * {@code i} of both ran next to each other, so a slow drift of the machine falls on both and divides out): the
 * estimate is the geometric mean of the paired ratios, and the interval is Student's t interval of the mean of their
 * logarithms, taken back by {@code exp}. With fewer than two pairs the bounds are NaN.
 *
 * @param estimate the geometric mean of the paired ratios
 * @param low the interval's lower bound
 * @param high the interval's upper bound
 * @param pairs the pairs behind it
 */
public record RatioInterval(double estimate, double low, double high, int pairs) {
    /**
     * Student's t two-sided 95% quantiles for 1 … 30 degrees of freedom; beyond, {@link #NORMAL_QUANTILE} plus a
     * correction of 2.4/df is within 0.005 of the true value.
     */
    private static final double[] T_QUANTILES = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
        2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
        2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    private static final double NORMAL_QUANTILE = 1.960;

    /**
     * Returns the ratio {@code numerators[i] / denominators[i]} over the pairs {@code i} with both figures positive
     * and finite.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static RatioInterval paired(double[] numerators, double[] denominators) {
        if (numerators.length != denominators.length) {
            throw new IllegalArgumentException("pairs: " + numerators.length + " numerators, " + denominators.length
                + " denominators (expected: as many)");
        }
        double[] logs = new double[numerators.length];
        int pairs = 0;
        for (int i = 0; i < numerators.length; i++) {
            double ratio = numerators[i] / denominators[i];
            if (ratio > 0 && Double.isFinite(ratio)) {
                logs[pairs++] = Math.log(ratio);
            }
        }
        if (pairs == 0) {
            return new RatioInterval(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double mean = 0;
        for (int i = 0; i < pairs; i++) {
            mean += logs[i];
        }
        mean /= pairs;
        if (pairs == 1) {
            return new RatioInterval(Math.exp(mean), Double.NaN, Double.NaN, 1);
        }
        double squares = 0;
        for (int i = 0; i < pairs; i++) {
            squares += (logs[i] - mean) * (logs[i] - mean);
        }
        double halfWidth = tQuantile(pairs - 1) * Math.sqrt(squares / (pairs - 1) / pairs);
        return new RatioInterval(Math.exp(mean), Math.exp(mean - halfWidth), Math.exp(mean + halfWidth), pairs);
    }

    /** Returns Student's t two-sided 95% quantile for {@code degrees} degrees of freedom (at least 1). */
    static double tQuantile(int degrees) {
        return degrees <= T_QUANTILES.length ? T_QUANTILES[degrees - 1] : NORMAL_QUANTILE + 2.4 / degrees;
    }

    /** Returns whether the interval lies wholly above 1. */
    public boolean above1() {
        return low > 1;
    }

    /** Returns whether the interval lies wholly below 1. */
    public boolean below1() {
        return high < 1;
    }

    /** Returns half the interval's width relative to the estimate, in percent: the difference it resolves. */
    public double halfWidthPercent() {
        return 50 * (high - low) / estimate;
    }

    /**
     * Returns {@code win}, {@code loss} or an empty string: a win when the interval excludes 1 on the good side
     * ({@code higherIsBetter} says which), a loss when it excludes it on the other, nothing when it holds 1.
     */
    public String verdict(boolean higherIsBetter) {
        if (above1()) {
            return higherIsBetter ? "win" : "loss";
        }
        if (below1()) {
            return higherIsBetter ? "loss" : "win";
        }
        return "";
    }
}
