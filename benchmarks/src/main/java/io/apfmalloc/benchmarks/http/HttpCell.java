package io.apfmalloc.benchmarks.http;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;

/**
 * One allocator's figures under one JVM mode, protocol and route: medians over the repeats, the throughput range
 * that shows the noise, and ratios to the peers (the compared allocators other than {@code apf}; NaN without one).
 *
 * @param mode the server's JVM mode
 * @param protocol the protocol and TLS provider
 * @param route the route
 * @param allocator the server's allocator
 * @param repeats measured runs behind the figures
 * @param requestsPerSecond median requests per second, as the load generator counted them
 * @param minRequestsPerSecond the slowest repeat
 * @param maxRequestsPerSecond the fastest repeat
 * @param p50Micros median of the repeats' median latency, by the load generator
 * @param p99Micros median of the repeats' 99th percentiles
 * @param p999Micros median of the repeats' 99.9th percentiles
 * @param cpuMicrosPerRequest median server CPU time (the whole process) per request answered
 * @param peakRssBytes median of the repeats' peak server resident set
 * @param peakHeldBytes median of the repeats' peak memory held by the server's allocator
 * @param bestPeer the peer with the highest median throughput here, or null without peers
 * @param throughputRatio requests per second over the best peer's (higher is better)
 * @param p99Ratio p99 latency over the lowest p99 among the peers (lower is better)
 * @param cpuRatio CPU time per request over the lowest among the peers (lower is better)
 * @param rssRatio peak resident set over the smallest among the peers (lower is better)
 */
public record HttpCell(JvmMode mode, HttpProtocol protocol, HttpRoute route, ComparedAllocator allocator, int repeats,
                       double requestsPerSecond, double minRequestsPerSecond, double maxRequestsPerSecond,
                       double p50Micros, double p99Micros, double p999Micros, double cpuMicrosPerRequest,
                       double peakRssBytes, double peakHeldBytes, ComparedAllocator bestPeer, double throughputRatio,
                       double p99Ratio, double cpuRatio, double rssRatio) {

    /** Returns the throughput range over the median, in percent: how noisy the repeats were. */
    public double spreadPercent() {
        return requestsPerSecond == 0 ? 0 : 100 * (maxRequestsPerSecond - minRequestsPerSecond) / requestsPerSecond;
    }

    /** Returns {@code mode protocol route}, e.g. {@code default h2-jdk echo}. */
    public String configuration() {
        return mode.label() + " " + protocol.label() + " " + route.label();
    }

    /** Returns this cell with the ratios to the peers filled in. */
    HttpCell rated(HttpCell fastestPeer, double lowestP99, double lowestCpu, double lowestRss) {
        return new HttpCell(mode, protocol, route, allocator, repeats, requestsPerSecond, minRequestsPerSecond,
            maxRequestsPerSecond, p50Micros, p99Micros, p999Micros, cpuMicrosPerRequest, peakRssBytes, peakHeldBytes,
            fastestPeer.allocator(), requestsPerSecond / fastestPeer.requestsPerSecond(), p99Micros / lowestP99,
            cpuMicrosPerRequest / lowestCpu, peakRssBytes / lowestRss);
    }
}
