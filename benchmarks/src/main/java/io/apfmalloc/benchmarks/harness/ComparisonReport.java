package io.apfmalloc.benchmarks.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of a comparison of allocators on server JVMs: the raw runs with the settings, environment and notes
 * they were made under, their summary cells, and the files they are kept in: CSV (one row per run, the figures a
 * subclass gives in its columns' order) and JSON (settings, environment, wall time, notes, runs and summary).
 *
 * @param <R> a run
 * @param <C> a summary cell: one allocator in one configuration
 */
public abstract class ComparisonReport<R, C> {
    private final List<String> csvColumns;
    private final Map<String, String> settings;
    private final List<R> runs;
    private final Map<String, String> environment;
    private final List<String> notes;
    private final double wallSeconds;

    /**
     * Keeps {@code runs} and what they were made under; a subclass then summarizes them into its cells.
     *
     * @param csvColumns  the CSV's columns, one per figure of {@link #csvRow}
     * @param settings    the benchmark's settings, as properties
     * @param environment what to record about the machine and JVM, name to value
     * @param notes       remarks for the reader, e.g. a configuration skipped and why
     * @param wallSeconds how long the whole benchmark took
     */
    protected ComparisonReport(List<String> csvColumns, Map<String, String> settings, List<R> runs,
                               Map<String, String> environment, List<String> notes, double wallSeconds) {
        this.csvColumns = List.copyOf(csvColumns);
        this.settings = new LinkedHashMap<>(settings);
        this.runs = List.copyOf(runs);
        this.environment = new LinkedHashMap<>(environment);
        this.notes = List.copyOf(notes);
        this.wallSeconds = wallSeconds;
    }

    /** Returns the raw runs. */
    public final List<R> runs() {
        return runs;
    }

    /** Returns the notes: configurations skipped and the like. */
    public final List<String> notes() {
        return notes;
    }

    /** Returns the summary: per configuration, in run order, one cell per allocator. */
    public abstract List<C> cells();

    /** Returns {@code run}'s figures in the order of the CSV's columns; an unknown figure is null. */
    protected abstract List<Object> csvRow(R run);

    /** Returns {@code cell}'s figures by name, for the JSON's summary. */
    protected abstract Map<String, Object> cellValues(C cell);

    /** Returns {@code run}'s figures by CSV column: a CSV row as a JSON object. */
    final Map<String, Object> runValues(R run) {
        return Json.byColumn(csvColumns, csvRow(run));
    }

    /** Writes one CSV row per run, with the columns as the header; an unknown figure is empty. */
    public final void writeCsv(Path file) throws IOException {
        Csv.write(file, csvColumns, runs.stream().map(this::csvRow).toList());
    }

    /** Writes the settings, environment, notes, runs and summary as one JSON object. */
    public final void writeJson(Path file) throws IOException {
        Json.writeReport(file, settings, environment, wallSeconds, notes, runs.stream().map(this::runValues).toList(),
            cells().stream().map(this::cellValues).toList());
    }

    /**
     * Writes the CSV and the JSON into {@code files}, then the chart {@code drawing} draws ({@link
     * ResultFiles#chart}); returns the files written.
     */
    public final List<Path> write(ResultFiles files, PrintStream out, ResultFiles.Drawing drawing)
            throws IOException {
        List<Path> written = new ArrayList<>();
        Path csv = files.file("csv");
        writeCsv(csv);
        written.add(csv);
        Path json = files.file("json");
        writeJson(json);
        written.add(json);
        files.chart(out, drawing).ifPresent(written::add);
        return written;
    }
}
