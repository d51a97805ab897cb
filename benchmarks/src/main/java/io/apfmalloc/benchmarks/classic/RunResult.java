package io.apfmalloc.benchmarks.classic;

import io.apfmalloc.benchmarks.harness.KeyValueLine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a benchmark JVM ({@link ClassicChild}) answers after one run: the measurement and its memory figures.
 *
 * @param operations       operations completed
 * @param nanos            the run's wall-clock time
 * @param peakRssBytes     the JVM's largest resident set during the run ({@code VmHWM}, reset before it), or -1
 * @param rssAfterBytes    the JVM's resident set once the run had freed everything ({@code VmRSS}), or -1
 */
record RunResult(long operations, long nanos, long peakRssBytes, long rssAfterBytes) {
    static final String TAG = "RESULT";

    /** Returns this as a protocol line. */
    String toLine() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("operations", operations);
        values.put("nanos", nanos);
        values.put("peakRss", peakRssBytes);
        values.put("rssAfter", rssAfterBytes);
        return KeyValueLine.format(TAG, values);
    }

    /** Parses a line made by {@link #toLine()}. */
    static RunResult parse(String line) {
        Map<String, String> values = KeyValueLine.parse(line);
        return new RunResult(KeyValueLine.longValue(values, "operations"), KeyValueLine.longValue(values, "nanos"),
            KeyValueLine.longValue(values, "peakRss"), KeyValueLine.longValue(values, "rssAfter"));
    }

    /** Returns operations per second. */
    double operationsPerSecond() {
        return new Measurement(operations, nanos).operationsPerSecond();
    }
}
