package io.apfmalloc.benchmarks.harness;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The files one benchmark run writes: {@code <name>-<yyyyMMdd-HHmmss>.<extension>} in the results directory, the
 * time being when this was made, so that a run's CSV, chart and child JVM log share a stem.
 */
public final class ResultFiles {
    private final Path directory;
    private final String stem;

    /** Names the files of a run of benchmark {@code name} starting now, in {@code directory}. */
    public ResultFiles(Path directory, String name) {
        this.directory = directory;
        this.stem = name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    /** Returns the run's file with {@code extension} (without the dot), e.g. {@code csv}. */
    public Path file(String extension) {
        return directory.resolve(stem + "." + extension);
    }

    /** Returns the log of the run's child JVMs' standard error. */
    public Path log() {
        return file("log");
    }
}
