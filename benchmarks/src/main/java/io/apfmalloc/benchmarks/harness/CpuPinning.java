package io.apfmalloc.benchmarks.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps a server and its load generator off each other's cores with {@code taskset}: the server on CPU 0, the load
 * generator on the others. Where {@code taskset} is missing or the machine has a single CPU, nothing is pinned.
 */
public final class CpuPinning {
    private static final List<Path> TASKSET = List.of(Path.of("/usr/bin/taskset"), Path.of("/bin/taskset"));

    private CpuPinning() {
    }

    /** Returns whether processes can be pinned here. */
    public static boolean isAvailable() {
        return Runtime.getRuntime().availableProcessors() >= 2 && TASKSET.stream().anyMatch(Files::isExecutable);
    }

    /** Returns the words that start a command on CPU 0, or none if pinning is not available. */
    public static List<String> serverPrefix() {
        return isAvailable() ? List.of("taskset", "-c", "0") : List.of();
    }

    /** Returns the words that start a command on every CPU but 0, or none if pinning is not available. */
    public static List<String> loadGeneratorPrefix() {
        int cpus = Runtime.getRuntime().availableProcessors();
        return isAvailable() ? List.of("taskset", "-c", cpus == 2 ? "1" : "1-" + (cpus - 1)) : List.of();
    }
}
