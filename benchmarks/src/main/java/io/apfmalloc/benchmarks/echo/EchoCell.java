package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;

/**
 * One allocator's figures under one JVM mode, transport and message size: medians over the repeats, the
 * throughput range that shows the noise, and ratios to the best peer (the best of the compared allocators other
 * than {@code apf}; NaN without one).
 *
 * @param mode the server's JVM mode
 * @param transport the transport
 * @param messageSize bytes per message
 * @param allocator the server's allocator
 * @param repeats measured runs behind the figures
 * @param messagesPerSecond median round trips per second
 * @param minMessagesPerSecond the slowest repeat
 * @param maxMessagesPerSecond the fastest repeat
 * @param megabytesPerSecond median echoed MB (10^6 bytes) per second, one direction
 * @param p50Micros median of the repeats' median round-trip latency, in microseconds
 * @param p99Micros median of the repeats' 99th percentiles
 * @param p999Micros median of the repeats' 99.9th percentiles
 * @param peakRssBytes median of the repeats' peak server resident set
 * @param peakHeldBytes median of the repeats' peak memory held by the server's allocator
 * @param bestPeer the peer with the highest median throughput here, or null without peers
 * @param throughputRatio messages per second over the best peer's (higher is better)
 * @param p99Ratio p99 latency over the lowest p99 among the peers (lower is better)
 * @param rssRatio peak resident set over the smallest among the peers (lower is better)
 */
public record EchoCell(JvmMode mode, EchoTransport transport, int messageSize, ComparedAllocator allocator, int repeats,
                       double messagesPerSecond, double minMessagesPerSecond, double maxMessagesPerSecond,
                       double megabytesPerSecond, double p50Micros, double p99Micros, double p999Micros,
                       double peakRssBytes, double peakHeldBytes, ComparedAllocator bestPeer, double throughputRatio,
                       double p99Ratio, double rssRatio) {

    /** Returns the throughput range over the median, in percent: how noisy the repeats were. */
    public double spreadPercent() {
        return messagesPerSecond == 0 ? 0 : 100 * (maxMessagesPerSecond - minMessagesPerSecond) / messagesPerSecond;
    }

    /** Returns {@code mode transport size}, e.g. {@code default nio 4 KiB}. */
    public String configuration() {
        return mode.label() + " " + transport.label() + " " + EchoConfig.formatSize(messageSize);
    }
}
