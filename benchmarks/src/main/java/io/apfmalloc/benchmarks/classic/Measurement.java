package io.apfmalloc.benchmarks.classic;

/**
 * What one timed run of a workload did.
 *
 * @param operations the workload's operations completed (each workload says what one is)
 * @param nanos      wall-clock time from starting the first worker thread to the end of the last one
 */
public record Measurement(long operations, long nanos) {
    /** Returns operations per second. */
    public double operationsPerSecond() {
        return operations * 1e9 / nanos;
    }
}
