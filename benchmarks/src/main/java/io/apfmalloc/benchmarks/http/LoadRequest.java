package io.apfmalloc.benchmarks.http;

/**
 * One run of a load generator against a benchmark server on 127.0.0.1.
 *
 * @param protocol HTTP/1.1 ({@code wrk}) or HTTP/2 over TLS ({@code h2load})
 * @param port the server's port
 * @param route what every request asks for
 * @param connections connections the tool keeps open
 * @param streams HTTP/2 streams in flight per connection ({@code h2load -m}; {@code wrk} has one per connection)
 * @param seconds how long the tool should send requests (whole seconds: {@code wrk -d} takes no fractions)
 * @param expectedRequestsPerSecond the rate this server reached on this route last time, or an initial guess:
 *                                  {@code h2load} is given a request count for {@code seconds} at this rate
 */
public record LoadRequest(HttpProtocol protocol, int port, HttpRoute route, int connections, int streams,
                          int seconds, double expectedRequestsPerSecond) {
    /** The fewest requests of a count-based run: a few per stream. */
    private static final int MIN_REQUESTS_PER_STREAM = 4;

    /** Returns the request count that should take {@code seconds} at the expected rate. */
    public long requestCount() {
        long streamsInFlight = (long) connections * streams;
        return Math.max(MIN_REQUESTS_PER_STREAM * streamsInFlight, Math.round(expectedRequestsPerSecond * seconds));
    }

    /** Returns the URL the tool requests. */
    public String url() {
        return (protocol.isTls() ? "https" : "http") + "://127.0.0.1:" + port + route.path();
    }
}
