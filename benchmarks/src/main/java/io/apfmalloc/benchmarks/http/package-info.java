/**
 * The HTTP and TLS comparison: a Netty HTTP/1.1 server and an HTTP/2-over-TLS one ({@link
 * io.apfmalloc.benchmarks.http.HttpBenchServer}), one JVM per allocator, driven by load generators this project did
 * not write, {@code wrk} and {@code h2load} ({@link io.apfmalloc.benchmarks.http.HttpBenchmark}).
 */
package io.apfmalloc.benchmarks.http;
