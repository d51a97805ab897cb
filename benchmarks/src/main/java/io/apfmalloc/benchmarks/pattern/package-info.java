/**
 * The allocation-pattern benchmark: realistic buffer size mixes ({@link io.apfmalloc.benchmarks.pattern.TrafficMix},
 * measured from Netty's own allocations by {@link io.apfmalloc.benchmarks.pattern.TrafficCapture}) replayed with
 * many live buffers on event loops ({@link io.apfmalloc.benchmarks.pattern.Replay}), one child JVM per allocator
 * ({@link io.apfmalloc.benchmarks.pattern.PatternWorker}), run and reported by
 * {@link io.apfmalloc.benchmarks.pattern.PatternBenchmark}.
 */
package io.apfmalloc.benchmarks.pattern;
