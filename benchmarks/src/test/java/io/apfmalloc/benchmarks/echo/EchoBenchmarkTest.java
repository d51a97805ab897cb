package io.apfmalloc.benchmarks.echo;

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

/**
 * The whole benchmark at its smallest, with real child JVMs: one mode, NIO, one size, two allocators, two short
 * repeats (the fewest an interval needs). Checks the rows, the tables and the files, not the figures.
 */
class EchoBenchmarkTest {
    @Test
    void runsServersAndClientAsProcessesAndWritesWellFormedResults(@TempDir Path results) throws Exception {
        System.setProperty("java.awt.headless", "true");
        EchoConfig config = new EchoConfig(List.of(512), List.of(EchoTransport.NIO), List.of(JvmMode.DEFAULT),
            List.of(ComparedAllocator.APF, ComparedAllocator.POOLED), 2, 2, 0.3, 0.5, 0.5, 2, 1, 1, true, List.of(),
            results);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        EchoBenchmark benchmark = new EchoBenchmark(config, new PrintStream(progress, true, StandardCharsets.UTF_8));

        EchoReport report = benchmark.run();
        List<Path> files = benchmark.write(report);

        assertEquals(4, report.runs().size());
        for (EchoRun run : report.runs()) {
            assertTrue(run.load().messages() > 0, "measured round trips: " + run);
            assertEquals(0, run.load().mismatchedMessages());
            assertTrue(run.server().reads() > 0 && run.server().peakRssBytes() > 0, "server figures: " + run);
            assertTrue(run.serverCpuNanos() >= 0 && Double.isFinite(run.serverCpuMicrosPerMessage()),
                "server CPU time in the measured window: " + run);
        }
        String shown = progress.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("default nio   512 B  repeat 1/2  apf") && shown.contains("measure…"),
            "progress names the allocator and the phase: " + shown);

        EchoCell apf = report.cells().getFirst();
        assertEquals(ComparedAllocator.APF, apf.allocator());
        assertEquals(ComparedAllocator.POOLED, apf.bestPeer());
        assertEquals(2, apf.throughputRatio().pairs(), "one pair per repeat");
        assertTrue(apf.throughputRatio().low() <= apf.throughputRatio().estimate()
            && apf.throughputRatio().estimate() <= apf.throughputRatio().high(), "an interval: " + apf);
        assertTrue(Double.isFinite(apf.cpuRatio().estimate()) && Double.isFinite(apf.p99Ratio().estimate())
            && Double.isFinite(apf.rssRatio().estimate()), "every figure rated: " + apf);
        assertEquals(1.0, report.cells().get(1).throughputRatio().estimate(), 1e-12,
            "the best peer is its own measure");
        assertTrue(report.headline().contains("| default | nio | 512 B |"), report.headline());
        assertEquals(2 + 2, report.table().lines().count(), "header, rule and a row per allocator");

        Path csv = files.stream().filter(file -> file.toString().endsWith(".csv")).findFirst().orElseThrow();
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", EchoReport.CSV_COLUMNS), lines.getFirst());
        assertEquals(5, lines.size(), "header and one row per run");
        for (String row : lines.subList(1, lines.size())) {
            String[] fields = row.split(",", -1);
            assertEquals(EchoReport.CSV_COLUMNS.size(), fields.length, row);
            assertTrue(row.startsWith("default,nio,512,"), row);
            assertTrue(Double.parseDouble(fields[EchoReport.CSV_COLUMNS.indexOf("messages_per_s")]) > 0, row);
        }
        Path json = files.stream().filter(file -> file.toString().endsWith(".json")).findFirst().orElseThrow();
        String text = Files.readString(json);
        assertTrue(text.startsWith("{") && text.trim().endsWith("}") && text.contains("\"summary\": [")
            && text.contains("\"throughput_vs_best_peer\": ") && text.contains("\"cpu_vs_best_peer_low\": "), text);
        assertTrue(files.stream().anyMatch(file -> file.toString().endsWith(".png") && Files.isRegularFile(file)),
            "the chart was drawn: " + files);
    }
}
