package io.apfmalloc.benchmarks.classic;

import io.apfmalloc.benchmarks.harness.KeyValueLine;

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
        return KeyValueLine.format(TAG, this);
    }

    /** Parses a line made by {@link #toLine()}. */
    static RunResult parse(String line) {
        return KeyValueLine.parse(line, RunResult.class);
    }

    /** Returns operations per second. */
    double operationsPerSecond() {
        return new Measurement(operations, nanos).operationsPerSecond();
    }
}
