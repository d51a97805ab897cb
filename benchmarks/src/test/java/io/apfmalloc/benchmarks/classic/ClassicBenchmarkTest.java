package io.apfmalloc.benchmarks.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner at its smallest, with real benchmark JVMs: one workload, apfmalloc and glibc, one thread count, two
 * short repeats. Checks the runs, the tables and the files, not the figures.
 */
class ClassicBenchmarkTest {
    @Test
    void runsEachAllocatorInItsOwnJvmAndWritesTheTables(@TempDir Path results) throws Exception {
        ClassicConfig config = new ClassicConfig(List.of(new ThreadTest()), List.of(AllocatorKind.APF,
            AllocatorKind.GLIBC), List.of(2), 0.1, 0, 2, List.of(), results);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        ClassicBenchmark benchmark = new ClassicBenchmark(config, new PrintStream(progress, true,
            StandardCharsets.UTF_8));

        ClassicReport report = benchmark.run();
        List<Path> files = benchmark.write(report);

        assertEquals(4, report.runs().size(), "2 allocators × 2 repeats");
        assertEquals(List.of(AllocatorKind.APF, AllocatorKind.GLIBC, AllocatorKind.APF, AllocatorKind.GLIBC),
            report.runs().stream().map(RunRecord::allocator).toList(), "interleaved");
        for (RunRecord run : report.runs()) {
            assertTrue(run.result().operations() > 0 && run.result().peakRssBytes() > 0, run::toString);
        }
        String shown = progress.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("threadtest") && shown.contains("repeat 2/2") && shown.contains("Mops/s"), shown);
        String table = report.throughputTable();
        assertTrue(table.contains("| threadtest | 2 |") && table.contains("| glibc | "), table);
        assertEquals(3, table.lines().count(), "header, rule and one row: " + table);
        assertTrue(report.markdown().contains(report.memoryTable()));

        Path csv = files.stream().filter(file -> file.toString().endsWith(".csv")).findFirst().orElseThrow();
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", ClassicReport.CSV_COLUMNS), lines.getFirst());
        assertEquals(5, lines.size(), "header and one line per run");
        for (String line : lines.subList(1, lines.size())) {
            assertEquals(ClassicReport.CSV_COLUMNS.size(), line.split(",", -1).length, line);
            assertTrue(line.startsWith("threadtest,2,"), line);
        }
        assertTrue(Files.readString(files.getFirst()).contains("apf ÷ best"));
    }
}
