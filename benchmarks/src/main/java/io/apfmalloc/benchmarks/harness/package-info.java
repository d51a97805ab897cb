/**
 * What the benchmark programs share: child JVMs that talk in lines ({@link
 * io.apfmalloc.benchmarks.harness.ChildJvm}, {@link io.apfmalloc.benchmarks.harness.KeyValueLine}), a comparison's
 * group of server JVMs and its interleaved run order ({@link io.apfmalloc.benchmarks.harness.ServerGroup}, {@link
 * io.apfmalloc.benchmarks.harness.Interleaving}), the loopback server the benchmark servers build on ({@link
 * io.apfmalloc.benchmarks.harness.LoopbackServer}), the process's resident set and its peak, the machine's
 * description, progress lines with the time left, medians, settings read from properties, and the CSV and JSON
 * files of the reports ({@link io.apfmalloc.benchmarks.harness.Csv}, {@link io.apfmalloc.benchmarks.harness.Json}).
 */
package io.apfmalloc.benchmarks.harness;
