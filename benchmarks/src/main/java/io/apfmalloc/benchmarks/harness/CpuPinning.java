package io.apfmalloc.benchmarks.harness;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Pins child processes to one CPU each with Linux's {@code taskset}, so that a server and its load client do not
 * take turns on the same core (on two cores, the scheduler moving them about is a large part of the noise).
 * Where {@code taskset} is absent, or the machine has a single CPU, nothing is pinned and {@link #reason()} says why.
 */
public final class CpuPinning {
    private final Path taskset;
    private final String reason;

    private CpuPinning(Path taskset, String reason) {
        this.taskset = taskset;
        this.reason = reason;
    }

    /** Returns pinning with the {@code taskset} on the {@code PATH} if there is one and this machine has 2+ CPUs. */
    public static CpuPinning detect() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return new CpuPinning(null, "one CPU only");
        }
        Optional<Path> found = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
            .filter(directory -> !directory.isEmpty()).map(directory -> Path.of(directory, "taskset"))
            .filter(Files::isExecutable).findFirst();
        return found.map(path -> new CpuPinning(path, "taskset " + path))
            .orElseGet(() -> new CpuPinning(null, "no taskset on the PATH"));
    }

    /** Returns pinning that pins nothing, with {@code reason} as its description. */
    public static CpuPinning off(String reason) {
        return new CpuPinning(null, reason);
    }

    /** Returns whether commands are pinned. */
    public boolean active() {
        return taskset != null;
    }

    /** Returns what this pinning does, or why it does nothing. */
    public String reason() {
        return reason;
    }

    /**
     * Returns {@code command} run on every CPU but {@code cpu} (a load generator beside a server pinned there), or
     * {@code command} itself when not {@link #active()}.
     */
    public List<String> pinAwayFrom(List<String> command, int cpu) {
        if (taskset == null) {
            return command;
        }
        String others = IntStream.range(0, Runtime.getRuntime().availableProcessors()).filter(other -> other != cpu)
            .mapToObj(String::valueOf).collect(Collectors.joining(","));
        List<String> pinned = new ArrayList<>(List.of(taskset.toString(), "-c", others));
        pinned.addAll(command);
        return pinned;
    }

    /** Returns {@code command} run on CPU {@code cpu} only, or {@code command} itself when not {@link #active()}. */
    public List<String> pin(List<String> command, int cpu) {
        if (taskset == null) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of(taskset.toString(), "-c", String.valueOf(cpu)));
        pinned.addAll(command);
        return pinned;
    }
}
