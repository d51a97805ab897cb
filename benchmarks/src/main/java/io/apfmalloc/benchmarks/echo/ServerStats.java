package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.harness.KeyValueLine;

/**
 * What an echo server reports about itself after a run.
 *
 * @param rssBytes the process's resident set ({@code VmRSS}) when asked, or -1 off Linux
 * @param peakRssBytes the largest resident set sampled since the last reset (every 100 ms), or -1 off Linux
 * @param heldBytes the memory the allocator holds by its own metric ({@link ComparedAllocator#heldBytes}) when asked
 * @param peakHeldBytes the largest held memory sampled since the last reset
 * @param reads buffers the server read since the last reset
 * @param directReads how many of them were direct buffers
 * @param heapCommittedBytes the Java heap committed when asked (part of the resident set; garbage such as
 *                           unpooled buffer objects makes it grow)
 */
public record ServerStats(long rssBytes, long peakRssBytes, long heldBytes, long peakHeldBytes, long reads,
                          long directReads, long heapCommittedBytes) {
    static final String TAG = "STATS";

    /** Returns this as a protocol line. */
    String toLine() {
        return KeyValueLine.format(TAG, this);
    }

    /** Parses a line made by {@link #toLine()}. */
    static ServerStats parse(String line) {
        return KeyValueLine.parse(line, ServerStats.class);
    }
}
