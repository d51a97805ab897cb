package io.apfmalloc.benchmarks.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import io.apfmalloc.benchmarks.harness.KeyValueLine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings parsing and the control lines between the orchestrator and its child JVMs. */
class EchoConfigTest {
    @Test
    void sizesReadAndPrintInBinaryUnits() {
        assertEquals(256, EchoConfig.parseSize("256"));
        assertEquals(4096, EchoConfig.parseSize("4k"));
        assertEquals(65536, EchoConfig.parseSize("64KiB"));
        assertEquals(1 << 20, EchoConfig.parseSize("1m"));
        assertEquals("256 B", EchoConfig.formatSize(256));
        assertEquals("64 KiB", EchoConfig.formatSize(65536));
        assertEquals("1000 B", EchoConfig.formatSize(1000));
    }

    @Test
    void defaultsAreTheShortRun() {
        EchoConfig config = EchoConfig.fromSystemProperties();
        assertEquals(List.of(256, 4096, 65536), config.sizes());
        assertEquals(List.of(JvmMode.DEFAULT, JvmMode.FAST), config.modes());
        assertEquals(List.of(ComparedAllocator.values()), config.allocators());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LoadSpec(EchoTransport.NIO, 1, 0, 1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new EchoConfig(List.of(256), List.of(EchoTransport.NIO),
            List.of(JvmMode.DEFAULT), List.of(ComparedAllocator.APF), 1, 1, 1, 0, 1, 1, 1, 1, true, List.of(),
            Path.of("results")));
    }

    @Test
    void controlLinesRoundTrip() {
        LoadSpec spec = new LoadSpec(EchoTransport.EPOLL, 4321, 4096, 8, 2, 500, 1500);
        assertEquals(spec, LoadSpec.parse(spec.toLine()));
        LoadResult result = new LoadResult(1000, 4096, 1_500_000_000L, 10, 20, 30, 40, 1200, 0);
        assertEquals(result, LoadResult.parse(result.toLine()));
        ServerStats stats = new ServerStats(1 << 20, 2 << 20, 4096, 8192, 77, 70, 64 << 20);
        assertEquals(stats, ServerStats.parse(stats.toLine()));
        assertEquals("RESULT", KeyValueLine.tag(result.toLine()));
    }
}
