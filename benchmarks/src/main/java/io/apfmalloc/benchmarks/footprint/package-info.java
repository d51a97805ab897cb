/**
 * Footprint over time: a burst of buffers on event loops, the release, an idle period and a trim
 * ({@link io.apfmalloc.benchmarks.footprint.FootprintTimeline}), with the memory each allocator holds, the resident
 * set and the live bytes sampled throughout, one child JVM per allocator
 * ({@link io.apfmalloc.benchmarks.footprint.FootprintWorker}), run, tabled and charted by
 * {@link io.apfmalloc.benchmarks.footprint.FootprintBenchmark}.
 */
package io.apfmalloc.benchmarks.footprint;
