package io.apfmalloc.benchmarks.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

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

    /**
     * Draws the run's chart into its {@code png} file; returns the file, or, if drawing fails (no fonts or no AWT
     * on a headless machine), empty after a note on {@code out}: a run's figures are not lost for want of a chart.
     */
    public Optional<Path> chart(PrintStream out, Drawing drawing) {
        Path png = file("png");
        try {
            drawing.draw(png);
            return Optional.of(png);
        } catch (IOException | RuntimeException | LinkageError e) {
            out.println("note: chart not written (" + e + ")");
            return Optional.empty();
        }
    }

    /** Draws a chart into a PNG file. */
    @FunctionalInterface
    public interface Drawing {
        /** Writes the chart to {@code png}. */
        void draw(Path png) throws IOException;
    }
}
