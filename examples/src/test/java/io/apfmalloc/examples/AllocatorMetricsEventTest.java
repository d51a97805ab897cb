package io.apfmalloc.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.netty.ApfByteBufAllocator;
import io.netty.buffer.ByteBuf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The periodic JFR event: recorded while a recording runs, with the allocator's figures. */
class AllocatorMetricsEventTest {
    @Test
    void aRecordingHoldsTheAllocatorsFigures(@TempDir Path directory) throws Exception {
        AllocatorMetricsEvent.register();
        AllocatorMetricsEvent.register();
        ByteBuf live = ApfByteBufAllocator.DEFAULT.directBuffer(5000);
        List<RecordedEvent> events;
        try (Recording recording = new Recording()) {
            recording.enable(AllocatorMetricsEvent.NAME).withPeriod(Duration.ofMillis(50));
            recording.start();
            Thread.sleep(300);
            recording.stop();
            Path file = directory.resolve("metrics.jfr");
            recording.dump(file);
            events = RecordingFile.readAllEvents(file);
            Files.delete(file);
        } finally {
            live.release();
        }
        List<RecordedEvent> ours = events.stream()
            .filter(event -> event.getEventType().getName().equals(AllocatorMetricsEvent.NAME)).toList();
        assertFalse(ours.isEmpty(), "periodic events were recorded");
        RecordedEvent last = ours.getLast();
        assertTrue(last.getLong("usedDirectMemory") >= 5000, last::toString);
        assertTrue(last.getLong("liveDirectBytes") >= 5000, last::toString);
        assertTrue(last.getLong("liveDirectBuffers") >= 1, last::toString);
        assertTrue(last.getLong("memoryLimit") > 0, last::toString);
    }
}
