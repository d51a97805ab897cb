package io.apfmalloc.benchmarks.footprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import io.apfmalloc.benchmarks.pattern.TrafficMix;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The footprint benchmark at its smallest, with real child JVMs; its table and control lines. */
class FootprintBenchmarkTest {
    @Test
    void runsChildJvmsAtOnceAndWritesTableCsvAndChart(@TempDir Path results) throws Exception {
        System.setProperty("java.awt.headless", "true");
        FootprintConfig config = new FootprintConfig(TrafficMix.PROXY, 8 << 20, 2, 0.2, 1.3, 0.2, 100,
            List.of(Release.LOOP), List.of(JvmMode.DEFAULT), List.of(ComparedAllocator.APF, ComparedAllocator.POOLED),
            List.of(), results);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        FootprintBenchmark benchmark = new FootprintBenchmark(config, new PrintStream(progress, true,
            StandardCharsets.UTF_8));

        FootprintReport report = benchmark.run();
        List<Path> files = benchmark.write(report);

        assertEquals(2, report.runs().size());
        String shown = progress.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("default loop apf") && shown.contains("release") && shown.contains("left]"),
            "progress names the allocator, the phase and the time left: " + shown);
        String table = report.table();
        assertEquals(2 + 2, table.lines().count(), table);
        assertTrue(table.lines().skip(2).allMatch(row -> row.startsWith("| default | loop | ")
            && !row.contains("| – | – | – |")), "held 1 s after the release, none 30 s after: " + table);
        assertTrue(report.headline().contains("no figure"), report.headline());
        Path csv = files.getFirst();
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", FootprintReport.CSV_COLUMNS), lines.getFirst());
        assertTrue(lines.size() > 2 * 10, "samples every 100 ms for about 2 s, two runs: " + lines.size());
        assertTrue(files.stream().anyMatch(file -> file.toString().endsWith(".png") && Files.isRegularFile(file)));
    }

    @Test
    void targetRatioIsOursOverPooledThirtySecondsAfterTheRelease() {
        FootprintRun apf = run(ComparedAllocator.APF, 10 << 20);
        FootprintRun pooled = run(ComparedAllocator.POOLED, 40 << 20);
        FootprintReport report = new FootprintReport(List.of(apf, pooled));
        assertEquals(0.25, report.heldToPooled(apf));
        assertEquals(1.0, report.heldToPooled(pooled));
        assertEquals(10 << 20, apf.afterRelease(30, FootprintSample::heldBytes).orElseThrow());
        assertEquals(64 << 20, apf.peakBeforeRelease(FootprintSample::heldBytes));
        assertTrue(report.headline().contains("0.25 × pooled's, target ≤ 1 met"), report.headline());
    }

    /** A run that holds 64 MiB until the release at 2 s and {@code idleHeld} from then on. */
    private static FootprintRun run(ComparedAllocator allocator, long idleHeld) {
        List<FootprintSample> samples = List.of(
            new FootprintSample(0, Phase.BURST, 0, 100 << 20, 0),
            new FootprintSample(1000, Phase.HOLD, 64 << 20, 200 << 20, 60 << 20),
            new FootprintSample(2000, Phase.RELEASE, 64 << 20, 200 << 20, 60 << 20),
            new FootprintSample(2500, Phase.IDLE, idleHeld, 150 << 20, 0),
            new FootprintSample(32000, Phase.IDLE, idleHeld, 150 << 20, 0),
            new FootprintSample(33000, Phase.TRIMMED, 0, 120 << 20, 0));
        return new FootprintRun(JvmMode.DEFAULT, Release.LOOP, allocator, samples, Map.of(Phase.BURST, 0L,
            Phase.HOLD, 1000L, Phase.RELEASE, 2000L, Phase.IDLE, 2500L, Phase.TRIMMED, 33000L));
    }

    @Test
    void controlLinesRoundTrip() {
        FootprintPlan plan = new FootprintPlan(TrafficMix.GATEWAY, 256 << 20, 2, 2, Release.OTHER, 32, 3, 250);
        assertEquals(plan, FootprintPlan.parse(plan.toLine()));
        FootprintSample sample = new FootprintSample(1250, Phase.IDLE, 1 << 20, 90 << 20, 0);
        assertEquals(sample, FootprintSample.parse(sample.toLine()));
    }
}
