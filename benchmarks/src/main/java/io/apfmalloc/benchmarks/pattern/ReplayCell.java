package io.apfmalloc.benchmarks.pattern;

import io.apfmalloc.benchmarks.harness.KeyValueLine;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measurement of the allocation-pattern benchmark: a size mix replayed by some event loops, each with its own
 * set of live buffers, for a warm-up and then a measured window.
 *
 * @param mix            the size mix new buffers are drawn from
 * @param liveBuffers    live buffers per event loop
 * @param threads        event loops replaying at once
 * @param warmupSeconds  the unmeasured window after the live sets are filled
 * @param measureSeconds the measured window
 * @param style          how buffers are released, which memory and what is done to a new one
 */
public record ReplayCell(TrafficMix mix, int liveBuffers, int threads, double warmupSeconds, double measureSeconds,
                         ReplayStyle style) {
    static final String TAG = "CELL";

    /** Returns a cell of this benchmark's own style, {@link ReplayStyle#PAGES}. */
    public ReplayCell(TrafficMix mix, int liveBuffers, int threads, double warmupSeconds, double measureSeconds) {
        this(mix, liveBuffers, threads, warmupSeconds, measureSeconds, ReplayStyle.PAGES);
    }

    /** Checks the cell. */
    public ReplayCell {
        if (liveBuffers < 1 || threads < 1 || !(warmupSeconds >= 0) || !(measureSeconds > 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "cell: %d live, %d threads, %s s warm-up,"
                    + " %s s measured (expected: live, threads >= 1, warm-up >= 0, measured > 0)", liveBuffers,
                threads, warmupSeconds, measureSeconds));
        }
    }

    /** Returns the bytes the cell keeps live in all, on average: live buffers × threads × the mix's mean size. */
    public double expectedLiveBytes() {
        return (double) liveBuffers * threads * mix.sizes().meanBytes();
    }

    /** Returns this as a command line for {@link PatternWorker}. */
    String toLine() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("mix", mix.label());
        values.put("live", liveBuffers);
        values.put("threads", threads);
        values.put("warmup", warmupSeconds);
        values.put("measure", measureSeconds);
        values.put("style", style.label());
        return KeyValueLine.format(TAG, values);
    }

    /** Parses a line made by {@link #toLine()}. */
    static ReplayCell parse(String line) {
        Map<String, String> values = KeyValueLine.parse(line);
        return new ReplayCell(TrafficMix.of(values.get("mix")), Math.toIntExact(KeyValueLine.longValue(values, "live")),
            Math.toIntExact(KeyValueLine.longValue(values, "threads")), Double.parseDouble(values.get("warmup")),
            Double.parseDouble(values.get("measure")), ReplayStyle.of(values.get("style")));
    }
}
