/**
 * What the benchmark programs share: child JVMs that talk in lines ({@link
 * io.apfmalloc.benchmarks.harness.ChildJvm}, {@link io.apfmalloc.benchmarks.harness.KeyValueLine}), the process's
 * resident set and its peak, the machine's description, progress lines with the time left, and medians.
 */
package io.apfmalloc.benchmarks.harness;
