package io.apfmalloc.benchmarks.pattern;

import io.apfmalloc.benchmarks.harness.KeyValueLine;

/**
 * What one replay measured.
 *
 * @param operations        buffers replaced in the measured window, all event loops together
 * @param threadNanos       the measured window's length summed over the event loops (wall time)
 * @param cpuNanos          the CPU time the event loops spent in the measured window
 * @param liveBytes         the requested capacities of the live buffers at the end of the window, summed
 * @param baseRssBytes      the process's resident set before the live sets were filled
 * @param peakRssBytes      the largest resident set sampled in the measured window
 * @param peakHeldBytes     the largest memory the allocator held by its own metric in the measured window
 * @param rssAfterRelease   the resident set once every buffer was released
 * @param heldAfterRelease  the memory the allocator held once every buffer was released
 */
public record ReplayResult(long operations, long threadNanos, long cpuNanos, long liveBytes, long baseRssBytes,
                           long peakRssBytes, long peakHeldBytes, long rssAfterRelease, long heldAfterRelease) {
    static final String TAG = "RESULT";

    /** Returns the mean time per operation on one event loop, in nanoseconds. */
    public double nanosPerOperation() {
        return (double) threadNanos / operations;
    }

    /** Returns the mean CPU time per operation, in nanoseconds: what other processes' load does not inflate. */
    public double cpuNanosPerOperation() {
        return (double) cpuNanos / operations;
    }

    /** Returns this as a protocol line. */
    String toLine() {
        return KeyValueLine.format(TAG, this);
    }

    /** Parses a line made by {@link #toLine()}. */
    static ReplayResult parse(String line) {
        return KeyValueLine.parse(line, ReplayResult.class);
    }
}
