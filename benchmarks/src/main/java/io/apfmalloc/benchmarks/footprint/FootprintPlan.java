package io.apfmalloc.benchmarks.footprint;

import io.apfmalloc.benchmarks.harness.KeyValueLine;
import io.apfmalloc.benchmarks.pattern.TrafficMix;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one footprint run does: a burst of buffers from a size mix up to a live total on some event loops, a hold,
 * the release, an idle period, and a last look after asking the allocator to trim.
 *
 * @param mix          the size mix of the burst's buffers
 * @param liveBytes    the burst's live total, shared equally by the event loops
 * @param threads      event loops allocating
 * @param holdSeconds  how long everything stays live
 * @param release      who releases the buffers
 * @param idleSeconds  how long the run watches after the release
 * @param trimSeconds  how long it watches after the trim
 * @param sampleMillis the sampling period
 */
public record FootprintPlan(TrafficMix mix, long liveBytes, int threads, double holdSeconds, Release release,
                            double idleSeconds, double trimSeconds, long sampleMillis) {
    static final String TAG = "START";

    /** Checks the plan. */
    public FootprintPlan {
        if (liveBytes < 1 || threads < 1 || sampleMillis < 1 || !(holdSeconds >= 0) || !(idleSeconds >= 0)
            || !(trimSeconds >= 0)) {
            throw new IllegalArgumentException("plan: " + liveBytes + " B live, " + threads + " threads, "
                + sampleMillis + " ms samples, hold " + holdSeconds + " s, idle " + idleSeconds + " s, trim "
                + trimSeconds + " s (expected: counts >= 1, seconds >= 0)");
        }
    }

    /** Returns the seconds the run takes after its burst. */
    public double secondsAfterBurst() {
        return holdSeconds + idleSeconds + trimSeconds;
    }

    /** Returns this as the line that starts a {@link FootprintWorker}. */
    String toLine() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("mix", mix.label());
        values.put("live", liveBytes);
        values.put("threads", threads);
        values.put("hold", holdSeconds);
        values.put("release", release.label());
        values.put("idle", idleSeconds);
        values.put("trim", trimSeconds);
        values.put("sample", sampleMillis);
        return KeyValueLine.format(TAG, values);
    }

    /** Parses a line made by {@link #toLine()}. */
    static FootprintPlan parse(String line) {
        Map<String, String> values = KeyValueLine.parse(line);
        return new FootprintPlan(TrafficMix.of(values.get("mix")), KeyValueLine.longValue(values, "live"),
            Math.toIntExact(KeyValueLine.longValue(values, "threads")), Double.parseDouble(values.get("hold")),
            Release.of(values.get("release")), Double.parseDouble(values.get("idle")),
            Double.parseDouble(values.get("trim")), KeyValueLine.longValue(values, "sample"));
    }
}
