package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.KeyValueLine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the client measured in one run: round trips completed in the measured window and their latency.
 *
 * @param messages round trips completed inside the measured window
 * @param messageSize bytes per message
 * @param measureNanos the measured window
 * @param p50Nanos median round-trip latency (send to the last byte of the echo), 0 if nothing was measured
 * @param p99Nanos 99th percentile
 * @param p999Nanos 99.9th percentile
 * @param maxNanos the slowest round trip
 * @param verifiedMessages messages compared byte for byte, warm-up included (all that came back)
 * @param mismatchedMessages messages whose echo differed from what was sent; anything but 0 is a bug
 */
public record LoadResult(long messages, int messageSize, long measureNanos, long p50Nanos, long p99Nanos,
                         long p999Nanos, long maxNanos, long verifiedMessages, long mismatchedMessages) {
    static final String TAG = "RESULT";

    /** Returns round trips per second in the measured window. */
    public double messagesPerSecond() {
        return measureNanos == 0 ? 0 : messages * 1e9 / measureNanos;
    }

    /** Returns echoed payload in MB (10^6 bytes) per second, one direction. */
    public double megabytesPerSecond() {
        return messagesPerSecond() * messageSize / 1e6;
    }

    /** Returns this as a protocol line. */
    String toLine() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("messages", messages);
        values.put("size", (long) messageSize);
        values.put("measureNanos", measureNanos);
        values.put("p50", p50Nanos);
        values.put("p99", p99Nanos);
        values.put("p999", p999Nanos);
        values.put("max", maxNanos);
        values.put("verified", verifiedMessages);
        values.put("mismatched", mismatchedMessages);
        return KeyValueLine.format(TAG, values);
    }

    /** Parses a line made by {@link #toLine()}. */
    static LoadResult parse(String line) {
        Map<String, String> values = KeyValueLine.parse(line);
        return new LoadResult(KeyValueLine.longValue(values, "messages"), (int) KeyValueLine.longValue(values, "size"),
            KeyValueLine.longValue(values, "measureNanos"), KeyValueLine.longValue(values, "p50"),
            KeyValueLine.longValue(values, "p99"), KeyValueLine.longValue(values, "p999"),
            KeyValueLine.longValue(values, "max"), KeyValueLine.longValue(values, "verified"),
            KeyValueLine.longValue(values, "mismatched"));
    }
}
