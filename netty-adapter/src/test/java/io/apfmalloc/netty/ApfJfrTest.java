package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/** The periodic JFR event: recorded while a recording runs, with the registered allocator's figures. */
class ApfJfrTest {
    @Test
    void aRecordingStreamReadsTheAllocatorsFigures() throws InterruptedException {
        ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().build();
        String id = String.valueOf(allocator.hashCode());
        assertTrue(ApfJfr.register(allocator));
        assertFalse(ApfJfr.register(allocator), "a second registration changes nothing");
        ByteBuf direct = allocator.directBuffer(5000);
        ByteBuf heap = allocator.heapBuffer(3000);
        BlockingQueue<RecordedEvent> ours = new LinkedBlockingQueue<>();
        try (RecordingStream stream = new RecordingStream()) {
            stream.enable(ApfJfr.EVENT_NAME).withPeriod(Duration.ofMillis(50));
            stream.onEvent(ApfJfr.EVENT_NAME, event -> {
                if (event.getString("allocator").equals(id)) {
                    ours.add(event);
                }
            });
            stream.startAsync();
            RecordedEvent event = ours.poll(30, TimeUnit.SECONDS);
            assertTrue(event != null, "a periodic event was recorded");
            assertTrue(event.getLong("usedDirectMemory") >= 5000, event::toString);
            assertEquals(5000, event.getLong("liveDirectBytes"), event::toString);
            assertEquals(1, event.getLong("liveDirectBuffers"), event::toString);
            assertEquals(3000, event.getLong("liveHeapBytes"), event::toString);
            assertTrue(event.getLong("usedHeapMemory") >= 3000, event::toString);
            assertEquals(allocator.metric().directStats().memoryLimit(), event.getLong("memoryLimit"));
        } finally {
            direct.release();
            heap.release();
            assertTrue(ApfJfr.unregister(allocator));
        }
        assertFalse(ApfJfr.unregister(allocator));
    }
}
