/**
 * The echo-server comparison: a Netty echo server ({@link io.apfmalloc.benchmarks.echo.EchoServer}) whose
 * accepted channels allocate from the allocator under test, a load client in another JVM
 * ({@link io.apfmalloc.benchmarks.echo.EchoClient}) with a fixed allocator, and the orchestrator
 * ({@link io.apfmalloc.benchmarks.echo.EchoBenchmark}) that runs them side by side and reports ratios.
 */
package io.apfmalloc.benchmarks.echo;
