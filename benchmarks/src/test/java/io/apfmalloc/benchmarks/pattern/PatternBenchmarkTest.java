package io.apfmalloc.benchmarks.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pattern benchmark at its smallest, with real child JVMs; its settings and control lines. */
class PatternBenchmarkTest {
    @Test
    void runsChildJvmsAndReportsRatiosAndCsv(@TempDir Path results) throws Exception {
        PatternConfig config = new PatternConfig(List.of(TrafficMix.GATEWAY), List.of(64), List.of(1, 2),
            List.of(ReplayStyle.PAGES), List.of(JvmMode.DEFAULT), List.of(ComparedAllocator.APF,
                ComparedAllocator.ADAPTIVE), 0.05, 0.1, 0.1, 1, 1L << 30, List.of(), results);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        PatternBenchmark benchmark = new PatternBenchmark(config, new PrintStream(progress, true,
            StandardCharsets.UTF_8));

        PatternReport report = benchmark.run();
        Path csv = benchmark.write(report);

        assertEquals(4, report.runs().size(), "two allocators × two cells");
        assertTrue(report.runs().stream().allMatch(run -> run.result().operations() > 0), "" + report.runs());
        String shown = progress.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("gateway r1/1 apf") && shown.contains("measure…") && shown.contains("left]"),
            "progress names the allocator, the phase and the time left: " + shown);
        PatternReport.Cell apf = report.cells().getFirst();
        assertEquals(ComparedAllocator.APF, apf.allocator());
        assertTrue(apf.timeRatio() > 0 && apf.rssToAdaptive() > 0, "" + apf);
        assertEquals(1.0, report.cells().get(1).timeRatio(), "the only peer is its own measure");
        assertEquals(2 + 2, report.headline().lines().count(), "header, rule and a row per cell");
        assertEquals(2 + 4, report.table().lines().count(), "header, rule and a row per cell and allocator");
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", PatternReport.CSV_COLUMNS), lines.getFirst());
        assertEquals(1 + 4, lines.size());
        assertTrue(lines.get(1).startsWith("default,gateway,pages,64,1,apf,1,"), lines.get(1));
    }

    @Test
    void defaultsSkipOnlyTheCellsAboveTheMemoryBudget() {
        PatternConfig config = PatternConfig.fromSystemProperties();
        assertEquals(List.of(128, 1024, 8192, 65536), config.liveBuffers());
        assertEquals(List.of(1, 2), config.threads());
        assertEquals(List.of(JvmMode.DEFAULT, JvmMode.FAST), config.modes());
        List<ReplayCell> skipped = config.mixes().stream().flatMap(mix -> config.cells(mix).stream())
            .filter(cell -> !config.fits(cell)).toList();
        assertEquals(List.of(new ReplayCell(TrafficMix.PROXY, 65536, 2, config.warmupSeconds(),
            config.measureSeconds())), skipped);
        List<ReplayCell> cells = config.cells(TrafficMix.GATEWAY);
        for (int i = 1; i < cells.size(); i++) {
            assertTrue(cells.get(i).expectedLiveBytes() > cells.get(i - 1).expectedLiveBytes(),
                "a child's cells grow: " + cells);
        }
    }

    @Test
    void controlLinesRoundTrip() {
        ReplayCell cell = new ReplayCell(TrafficMix.PROXY, 8192, 2, 0.25, 1.5);
        assertEquals(cell, ReplayCell.parse(cell.toLine()));
        ReplayResult result = new ReplayResult(1000, 2_000_000, 1_500_000, 1 << 20, 90 << 20, 120 << 20, 8 << 20,
            110 << 20, 4 << 20);
        assertEquals(result, ReplayResult.parse(result.toLine()));
        assertEquals(2000.0, result.nanosPerOperation());
        assertEquals(1500.0, result.cpuNanosPerOperation());
    }
}
