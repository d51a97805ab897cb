/**
 * The classic allocator benchmarks, ported to the JVM: Hoard's {@code threadtest}, {@code cache-thrash} and
 * {@code cache-scratch}, Larson's server simulation and an {@code xmalloc-test}-style producer–consumer
 * ({@link io.apfmalloc.benchmarks.classic.Workload}), on apfmalloc's raw API and on glibc, jemalloc, mimalloc and
 * tcmalloc called through critical {@link java.lang.foreign.Linker} downcalls
 * ({@link io.apfmalloc.benchmarks.classic.AllocatorKind}). {@link io.apfmalloc.benchmarks.classic.ClassicBenchmark}
 * runs each workload and allocator in a JVM of its own ({@link io.apfmalloc.benchmarks.classic.ClassicChild}) and
 * reports throughput, apfmalloc's ratio to the best native allocator, and resident sets.
 */
package io.apfmalloc.benchmarks.classic;
