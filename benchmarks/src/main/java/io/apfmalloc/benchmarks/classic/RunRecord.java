package io.apfmalloc.benchmarks.classic;

/**
 * One measured run, as the report and the CSV file list it.
 *
 * @param workload  the workload's name
 * @param threads   its thread count (for prod-cons: pairs)
 * @param allocator the allocator
 * @param repeat    1 … repeats
 * @param result    what the benchmark JVM measured
 */
record RunRecord(String workload, int threads, AllocatorKind allocator, int repeat, RunResult result) {
}
