package io.apfmalloc.benchmarks.http;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;

/**
 * One measured run: a server allocator under one JVM mode, protocol and route, what the load generator reported and
 * what the server measured of itself.
 *
 * @param mode the server's JVM mode
 * @param protocol HTTP/1.1 or HTTP/2 over TLS, and the TLS provider
 * @param route what every request asked for
 * @param allocator the server's allocator
 * @param repeat which of the interleaved repeats, from 1
 * @param load the load generator's figures
 * @param server the server's figures
 */
public record HttpRun(JvmMode mode, HttpProtocol protocol, HttpRoute route, ComparedAllocator allocator, int repeat,
                      ToolResult load, HttpServerStats server) {
}
