package io.apfmalloc.benchmarks.footprint;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.harness.Csv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The results of a footprint benchmark: every child's run, a table of the memory held at the burst's peak and at
 * 1, 10 and 30 seconds after the release (and after the trim), ours against pooled's 30 seconds after, and a CSV of
 * every sample.
 */
public final class FootprintReport {
    /** The seconds after the release the table shows. */
    static final double[] AFTER_RELEASE_SECONDS = {1, 10, 30};
    /** The columns of the CSV, one row per sample. */
    static final List<String> CSV_COLUMNS = List.of("mode", "release", "allocator", "ms", "ms_after_release", "phase",
        "held_bytes", "rss_bytes", "live_bytes");
    private static final double TARGET_SECONDS = 30;

    private final List<FootprintRun> runs;

    /** Keeps {@code runs}. */
    public FootprintReport(List<FootprintRun> runs) {
        this.runs = List.copyOf(runs);
    }

    /** Returns the runs. */
    public List<FootprintRun> runs() {
        return runs;
    }

    /** Returns the table in Markdown: one row per mode, release and allocator. */
    public String table() {
        StringBuilder table = new StringBuilder("| mode | release | allocator | live peak MiB | held peak MiB "
            + "| held +1 s | +10 s | +30 s | after trim | RSS peak MiB | RSS +30 s | after trim "
            + "| held +30 s ÷ pooled |\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (FootprintRun run : runs) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.1f |", run.mode().label(),
                run.release().label(), run.allocator().label(),
                mebibytes(run.peakBeforeRelease(FootprintSample::liveBytes)),
                mebibytes(run.peakBeforeRelease(FootprintSample::heldBytes))));
            for (double seconds : AFTER_RELEASE_SECONDS) {
                table.append(' ').append(mebibytes(run.afterRelease(seconds, FootprintSample::heldBytes), "%.1f"))
                    .append(" |");
            }
            table.append(String.format(Locale.ROOT, " %.1f | %.0f | %s | %.0f | %s |%n",
                mebibytes(run.afterTrim(FootprintSample::heldBytes)),
                mebibytes(run.peakBeforeRelease(FootprintSample::rssBytes)),
                mebibytes(run.afterRelease(TARGET_SECONDS, FootprintSample::rssBytes), "%.0f"),
                mebibytes(run.afterTrim(FootprintSample::rssBytes)), ratio(heldToPooled(run))));
        }
        return table.toString();
    }

    /**
     * Returns ours against the target, one line per mode and release: the memory held 30 s after the release, at
     * most pooled's.
     */
    public String headline() {
        StringBuilder lines = new StringBuilder();
        for (FootprintRun run : runs) {
            if (run.allocator() != ComparedAllocator.APF) {
                continue;
            }
            double ratio = heldToPooled(run);
            lines.append(String.format(Locale.ROOT, "%s, released by %s: apf holds %s MiB 30 s after the release,"
                    + " pooled %s MiB: %s%n", run.mode().label(), run.release() == Release.LOOP
                    ? "the allocating loops" : "another thread",
                mebibytes(run.afterRelease(TARGET_SECONDS, FootprintSample::heldBytes), "%.1f"),
                pooled(run).map(p -> mebibytes(p.afterRelease(TARGET_SECONDS, FootprintSample::heldBytes), "%.1f"))
                    .orElse("–"), Double.isNaN(ratio) ? "no figure (idle shorter than 30 s or no pooled run)"
                    : String.format(Locale.ROOT, "%.2f × pooled's, target ≤ 1 %s", ratio, ratio <= 1 ? "met"
                    : "missed")));
        }
        return lines.toString();
    }

    private Optional<FootprintRun> pooled(FootprintRun run) {
        return runs.stream().filter(other -> other.mode() == run.mode() && other.release() == run.release()
            && other.allocator() == ComparedAllocator.POOLED).findFirst();
    }

    /** Returns {@code run}'s memory held 30 s after the release over pooled's, NaN without both figures. */
    double heldToPooled(FootprintRun run) {
        OptionalLong ours = run.afterRelease(TARGET_SECONDS, FootprintSample::heldBytes);
        OptionalLong theirs = pooled(run).map(p -> p.afterRelease(TARGET_SECONDS, FootprintSample::heldBytes))
            .orElse(OptionalLong.empty());
        return ours.isPresent() && theirs.isPresent() ? (double) ours.getAsLong() / theirs.getAsLong() : Double.NaN;
    }

    /** Writes one CSV row per sample, with {@link #CSV_COLUMNS} as the header. */
    public void writeCsv(Path file) throws IOException {
        Csv.write(file, CSV_COLUMNS, runs.stream().flatMap(run -> run.samples().stream().map(sample -> List.of(
            run.mode().label(), run.release().label(), run.allocator().label(), sample.millis(),
            sample.millis() - run.releaseMillis(), sample.phase().label(), sample.heldBytes(), sample.rssBytes(),
            sample.liveBytes()))).toList());
    }

    private static double mebibytes(long bytes) {
        return bytes / 1048576.0;
    }

    /** Formats {@code bytes} in MiB with {@code pattern}, or a dash if there is no figure. */
    private static String mebibytes(OptionalLong bytes, String pattern) {
        return bytes.isPresent() ? String.format(Locale.ROOT, pattern, mebibytes(bytes.getAsLong())) : "–";
    }

    private static String ratio(double ratio) {
        return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f", ratio);
    }
}
