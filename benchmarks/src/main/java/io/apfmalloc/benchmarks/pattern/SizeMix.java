package io.apfmalloc.benchmarks.pattern;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A weighted table of buffer sizes: bands of sizes, each with its share of the allocations in parts of
 * {@value #TOTAL_WEIGHT}. A size is drawn by picking a band by weight, then a size in it uniformly; a band of one
 * size stands for a size Netty asks for exactly (a receive-buffer guess, a TLS record buffer).
 *
 * @param name  the mix's name in reports
 * @param bands the bands in increasing, non-overlapping order, weights summing to {@value #TOTAL_WEIGHT}
 */
public record SizeMix(String name, List<Band> bands) {
    /** What the weights of a mix add up to: shares in hundredths of a percent. */
    public static final int TOTAL_WEIGHT = 10_000;

    /**
     * Sizes from {@code minBytes} to {@code maxBytes}, both included, drawn in {@code weight} allocations out of
     * {@value #TOTAL_WEIGHT}.
     *
     * @param minBytes the smallest size, at least 1
     * @param maxBytes the largest size, at least {@code minBytes}
     * @param weight   the band's share, at least 1
     */
    public record Band(int minBytes, int maxBytes, int weight) {
        /** Checks the band. */
        public Band {
            if (minBytes < 1 || maxBytes < minBytes || weight < 1) {
                throw new IllegalArgumentException("band: " + minBytes + "-" + maxBytes + " B, weight " + weight
                    + " (expected: 1 <= min <= max, weight >= 1)");
            }
        }

        /** Returns the mean size of the band. */
        double meanBytes() {
            return (minBytes + (double) maxBytes) / 2;
        }
    }

    /** Checks the table: bands in order, not overlapping, weights summing to {@value #TOTAL_WEIGHT}. */
    public SizeMix {
        bands = List.copyOf(bands);
        int sum = 0;
        for (int i = 0; i < bands.size(); i++) {
            if (i > 0 && bands.get(i).minBytes() <= bands.get(i - 1).maxBytes()) {
                throw new IllegalArgumentException(name + ": band " + i + " overlaps or precedes band " + (i - 1));
            }
            sum += bands.get(i).weight();
        }
        if (sum != TOTAL_WEIGHT) {
            throw new IllegalArgumentException(name + ": weights sum to " + sum + " (expected: " + TOTAL_WEIGHT + ")");
        }
    }

    /** Returns a single-size band: {@code bytes} exactly, {@code weight} out of {@value #TOTAL_WEIGHT}. */
    static Band size(int bytes, int weight) {
        return new Band(bytes, bytes, weight);
    }

    /** Returns a band of sizes from {@code minBytes} to {@code maxBytes}, {@code weight} out of the total. */
    static Band range(int minBytes, int maxBytes, int weight) {
        return new Band(minBytes, maxBytes, weight);
    }

    /** Returns the smallest size the mix draws. */
    public int minBytes() {
        return bands.getFirst().minBytes();
    }

    /** Returns the largest size the mix draws. */
    public int maxBytes() {
        return bands.getLast().maxBytes();
    }

    /** Returns the mean size of a drawn buffer. */
    public double meanBytes() {
        return bands.stream().mapToDouble(band -> band.meanBytes() * band.weight()).sum() / TOTAL_WEIGHT;
    }

    /** Draws a size. */
    public int draw(SplittableRandom random) {
        int ticket = random.nextInt(TOTAL_WEIGHT);
        for (Band band : bands) {
            ticket -= band.weight();
            if (ticket < 0) {
                return band.minBytes() == band.maxBytes() ? band.minBytes()
                    : random.nextInt(band.minBytes(), band.maxBytes() + 1);
            }
        }
        throw new AssertionError("weights sum to " + TOTAL_WEIGHT);
    }
}
