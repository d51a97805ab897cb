package io.apfmalloc.benchmarks.footprint;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.ToLongFunction;

/**
 * One child's footprint run: its samples and when each phase began.
 *
 * @param mode        the child's JVM mode
 * @param release     who released the buffers
 * @param allocator   the child's allocator
 * @param samples     the samples in time order
 * @param phaseStarts when each phase began, in milliseconds since the burst began
 */
public record FootprintRun(JvmMode mode, Release release, ComparedAllocator allocator, List<FootprintSample> samples,
                           Map<Phase, Long> phaseStarts) {
    /** Copies the lists; throws if a phase is missing. */
    public FootprintRun {
        samples = List.copyOf(samples);
        phaseStarts = new EnumMap<>(phaseStarts);
        for (Phase phase : Phase.values()) {
            if (!phaseStarts.containsKey(phase)) {
                throw new IllegalArgumentException("no start of " + phase + " in " + phaseStarts);
            }
        }
    }

    /** Returns when the release began, in milliseconds since the burst began. */
    public long releaseMillis() {
        return phaseStarts.get(Phase.RELEASE);
    }

    /** Returns the largest figure of the samples in the burst and the hold. */
    public long peakBeforeRelease(ToLongFunction<FootprintSample> figure) {
        return samples.stream().filter(sample -> sample.phase().compareTo(Phase.RELEASE) < 0).mapToLong(figure)
            .max().orElse(0);
    }

    /**
     * Returns the figure of the first sample at least {@code seconds} after the release began and before the trim,
     * or empty if the idle period was shorter.
     */
    public OptionalLong afterRelease(double seconds, ToLongFunction<FootprintSample> figure) {
        long at = releaseMillis() + Math.round(seconds * 1000);
        return samples.stream().filter(sample -> sample.millis() >= at && sample.phase().compareTo(Phase.IDLE) <= 0
                && sample.phase().compareTo(Phase.RELEASE) >= 0).mapToLong(figure).findFirst();
    }

    /** Returns the figure of the last sample: after the trim. */
    public long afterTrim(ToLongFunction<FootprintSample> figure) {
        return figure.applyAsLong(samples.getLast());
    }
}
