package io.apfmalloc.benchmarks.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.benchmarks.echo.EchoTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A few seconds of the soak, to show its machinery (pauses, checks, outages, the final release) works. */
class SoakTest {
    @Test
    void aShortSoakPassesItsChecksAndWritesItsSamples(@TempDir Path results) throws Exception {
        SoakConfig config = new SoakConfig(Duration.ofSeconds(4), Duration.ofSeconds(1), EchoTransport.NIO, 2, 2, 1,
            0.05, Duration.ofMillis(700), Duration.ofMillis(100), 42, results);
        assertTrue(Soak.run(config), "the soak reported failures (see its output)");
        try (var files = Files.list(results)) {
            Path csv = files.findFirst().orElseThrow();
            assertTrue(Files.readAllLines(csv).size() >= 4, "a header and a sample per check");
        }
    }

    @Test
    void durationsReadAsWritten() {
        assertEquals(Duration.ofMillis(250), SoakConfig.parseDuration("d", "250ms"));
        assertEquals(Duration.ofSeconds(90), SoakConfig.parseDuration("d", "90s"));
        assertEquals(Duration.ofMinutes(10), SoakConfig.parseDuration("d", "10m"));
        assertEquals(Duration.ofHours(2), SoakConfig.parseDuration("d", "2h"));
        assertEquals(Duration.ofSeconds(30), SoakConfig.parseDuration("d", "30"));
        assertThrows(IllegalArgumentException.class, () -> SoakConfig.parseDuration("d", "ten minutes"));
    }
}
