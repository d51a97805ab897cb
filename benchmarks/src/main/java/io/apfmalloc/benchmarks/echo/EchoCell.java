package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import io.apfmalloc.benchmarks.harness.RatioInterval;

/**
 * One allocator's figures under one JVM mode, transport and message size: medians over the repeats, the ranges
 * that show the noise, and ratios to the best peer for each figure (the best of the compared allocators other than
 * {@code apf} by median; null without one), each with its 95% confidence interval over the paired repeats
 * ({@link RatioInterval}).
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
 * @param cpuMicrosPerMessage median server CPU time (user and system) per echoed message, in microseconds; NaN if
 *                            unknown
 * @param minCpuMicrosPerMessage the repeat with the least CPU per message
 * @param maxCpuMicrosPerMessage the repeat with the most
 * @param p50Micros median of the repeats' median round-trip latency, in microseconds
 * @param p99Micros median of the repeats' 99th percentiles
 * @param p999Micros median of the repeats' 99.9th percentiles
 * @param peakRssBytes median of the repeats' peak server resident set
 * @param peakHeldBytes median of the repeats' peak memory held by the server's allocator
 * @param bestPeer the peer with the highest median throughput here, or null without peers
 * @param cpuBestPeer the peer with the least median CPU per message, or null
 * @param throughputRatio messages per second over the best peer's (higher is better), or null without peers
 * @param cpuRatio CPU per message over the lowest among the peers (lower is better), or null
 * @param p99Ratio p99 latency over the lowest p99 among the peers (lower is better), or null
 * @param rssRatio peak resident set over the smallest among the peers (lower is better), or null
 */
public record EchoCell(JvmMode mode, EchoTransport transport, int messageSize, ComparedAllocator allocator, int repeats,
                       double messagesPerSecond, double minMessagesPerSecond, double maxMessagesPerSecond,
                       double megabytesPerSecond, double cpuMicrosPerMessage, double minCpuMicrosPerMessage,
                       double maxCpuMicrosPerMessage, double p50Micros, double p99Micros, double p999Micros,
                       double peakRssBytes, double peakHeldBytes, ComparedAllocator bestPeer,
                       ComparedAllocator cpuBestPeer, RatioInterval throughputRatio, RatioInterval cpuRatio,
                       RatioInterval p99Ratio, RatioInterval rssRatio) {

    /** Returns the throughput range over the median, in percent: how noisy the repeats were. */
    public double spreadPercent() {
        return range(minMessagesPerSecond, maxMessagesPerSecond, messagesPerSecond);
    }

    /** Returns the range of CPU per message over its median, in percent, or NaN if unknown. */
    public double cpuSpreadPercent() {
        return range(minCpuMicrosPerMessage, maxCpuMicrosPerMessage, cpuMicrosPerMessage);
    }

    private static double range(double min, double max, double median) {
        return median == 0 ? 0 : 100 * (max - min) / median;
    }

    /** Returns {@code mode transport size}, e.g. {@code default nio 4 KiB}. */
    public String configuration() {
        return mode.label() + " " + transport.label() + " " + EchoConfig.formatSize(messageSize);
    }
}
