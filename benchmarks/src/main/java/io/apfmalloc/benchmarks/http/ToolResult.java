package io.apfmalloc.benchmarks.http;

/**
 * What a load generator reported of one run: the requests it completed, how long it ran, its errors, and its
 * latency percentiles (from request sent to response received, in microseconds, as the tool measures them).
 *
 * @param requests responses received
 * @param seconds the run's length by the tool's own clock
 * @param errors socket errors, timeouts and responses other than 2xx
 * @param p50Micros median latency
 * @param p90Micros 90th percentile
 * @param p99Micros 99th percentile
 * @param p999Micros 99.9th percentile
 * @param maxMicros the slowest request
 */
public record ToolResult(long requests, double seconds, long errors, double p50Micros, double p90Micros,
                         double p99Micros, double p999Micros, double maxMicros) {
    /** Returns requests per second. */
    public double requestsPerSecond() {
        return seconds > 0 ? requests / seconds : 0;
    }
}
