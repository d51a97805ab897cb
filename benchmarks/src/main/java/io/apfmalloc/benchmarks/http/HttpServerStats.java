package io.apfmalloc.benchmarks.http;

import io.apfmalloc.benchmarks.harness.KeyValueLine;
import io.apfmalloc.benchmarks.harness.ServerMeter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a benchmark server reports about itself after a run.
 *
 * @param meter the resident set, the allocator's held memory (now and peaks), the committed heap and the process's
 *              CPU time, since the last reset
 * @param requests requests the server answered since the last reset, all routes
 */
public record HttpServerStats(ServerMeter.Reading meter, long requests) {
    static final String TAG = "STATS";

    /** Returns the server's CPU time per request answered, in microseconds, or NaN without requests. */
    public double cpuMicrosPerRequest() {
        return requests == 0 || meter.cpuNanos() < 0 ? Double.NaN : meter.cpuNanos() / 1e3 / requests;
    }

    /** Returns this as a protocol line. */
    String toLine() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("rss", meter.rssBytes());
        values.put("peakRss", meter.peakRssBytes());
        values.put("held", meter.heldBytes());
        values.put("peakHeld", meter.peakHeldBytes());
        values.put("heapCommitted", meter.heapCommittedBytes());
        values.put("cpuNanos", meter.cpuNanos());
        values.put("requests", requests);
        return KeyValueLine.format(TAG, values);
    }

    /** Parses a line made by {@link #toLine()}. */
    static HttpServerStats parse(String line) {
        Map<String, String> values = KeyValueLine.parse(line);
        return new HttpServerStats(new ServerMeter.Reading(KeyValueLine.longValue(values, "rss"),
            KeyValueLine.longValue(values, "peakRss"), KeyValueLine.longValue(values, "held"),
            KeyValueLine.longValue(values, "peakHeld"), KeyValueLine.longValue(values, "heapCommitted"),
            KeyValueLine.longValue(values, "cpuNanos")), KeyValueLine.longValue(values, "requests"));
    }
}
