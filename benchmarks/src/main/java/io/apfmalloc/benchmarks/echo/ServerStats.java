package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.KeyValueLine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an echo server reports about itself after a run.
 *
 * @param rssBytes the process's resident set ({@code VmRSS}) when asked, or -1 off Linux
 * @param peakRssBytes the largest resident set sampled since the last reset (every 100 ms), or -1 off Linux
 * @param heldBytes the memory the allocator holds by its own metric ({@link EchoAllocator#heldBytes}) when asked
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
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("rss", rssBytes);
        values.put("peakRss", peakRssBytes);
        values.put("held", heldBytes);
        values.put("peakHeld", peakHeldBytes);
        values.put("reads", reads);
        values.put("directReads", directReads);
        values.put("heapCommitted", heapCommittedBytes);
        return KeyValueLine.format(TAG, values);
    }

    /** Parses a line made by {@link #toLine()}. */
    static ServerStats parse(String line) {
        Map<String, String> values = KeyValueLine.parse(line);
        return new ServerStats(KeyValueLine.longValue(values, "rss"), KeyValueLine.longValue(values, "peakRss"),
            KeyValueLine.longValue(values, "held"), KeyValueLine.longValue(values, "peakHeld"),
            KeyValueLine.longValue(values, "reads"), KeyValueLine.longValue(values, "directReads"),
            KeyValueLine.longValue(values, "heapCommitted"));
    }
}
