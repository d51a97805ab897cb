package io.apfmalloc.benchmarks.footprint;

import io.apfmalloc.benchmarks.harness.KeyValueLine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One look at a footprint run.
 *
 * @param millis    milliseconds since the burst began
 * @param phase     the phase the run was in
 * @param heldBytes the memory the allocator held by its own metric ({@code usedDirectMemory + usedHeapMemory})
 * @param rssBytes  the process's resident set
 * @param liveBytes the requested capacities of the buffers not yet released, summed
 */
public record FootprintSample(long millis, Phase phase, long heldBytes, long rssBytes, long liveBytes) {
    static final String TAG = "SAMPLE";

    /** Returns this as a protocol line. */
    String toLine() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("ms", millis);
        values.put("phase", phase.label());
        values.put("held", heldBytes);
        values.put("rss", rssBytes);
        values.put("live", liveBytes);
        return KeyValueLine.format(TAG, values);
    }

    /** Parses a line made by {@link #toLine()}. */
    static FootprintSample parse(String line) {
        Map<String, String> values = KeyValueLine.parse(line);
        return new FootprintSample(KeyValueLine.longValue(values, "ms"), Phase.of(values.get("phase")),
            KeyValueLine.longValue(values, "held"), KeyValueLine.longValue(values, "rss"),
            KeyValueLine.longValue(values, "live"));
    }
}
