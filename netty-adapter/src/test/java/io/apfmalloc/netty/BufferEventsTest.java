package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** Our JFR events arrive under Netty's names with Netty's fields, beside Netty's own, only when enabled. */
class BufferEventsTest {
    private static final List<String> NAMES = List.of("io.netty.AllocateBuffer", "io.netty.FreeBuffer",
        "io.netty.ReallocateBuffer", "io.netty.AllocateChunk", "io.netty.FreeChunk");
    private static final int HUGE = (4 << 20) + 1;

    private final ApfByteBufAllocator allocator = new ApfByteBufAllocator(true);

    @Test
    void bufferEventsCarryNettysFields() throws Exception {
        AtomicLong firstAddress = new AtomicLong();
        List<RecordedEvent> events = record(true, () -> {
            onEventLoop(() -> {
                ByteBuf buffer = allocator.directBuffer(300, 100_000);
                firstAddress.set(buffer.memoryAddress());
                buffer.writeBytes(new byte[300]);
                buffer.capacity(5000);
                buffer.release();
            });
            allocator.heapBuffer(HUGE).release();
            PooledByteBufAllocator.DEFAULT.directBuffer(100).release();
        });

        List<RecordedEvent> ours = events.stream()
            .filter(BufferEventsTest::isOurs)
            .sorted(Comparator.comparing(RecordedEvent::getStartTime))
            .toList();
        assertEquals(List.of("io.netty.AllocateBuffer", "io.netty.ReallocateBuffer", "io.netty.AllocateBuffer",
            "io.netty.FreeBuffer", "io.netty.AllocateChunk", "io.netty.AllocateBuffer", "io.netty.FreeBuffer",
            "io.netty.FreeChunk"), ours.stream().map(event -> event.getEventType().getName()).toList());

        RecordedEvent allocate = ours.get(0);
        assertEquals(300, allocate.getInt("size"));
        assertEquals(320, allocate.getInt("maxFastCapacity"), "the 320-byte class");
        assertEquals(100_000, allocate.getInt("maxCapacity"));
        assertTrue(allocate.getBoolean("direct"));
        assertEquals(firstAddress.get(), allocate.getLong("address"));
        assertTrue(allocate.getBoolean("chunkPooled"));
        assertTrue(allocate.getBoolean("chunkThreadLocal"), "through the event loop's cache");
        assertEquals("apf-events-loop", allocate.getThread().getJavaName());

        RecordedEvent reallocate = ours.get(1);
        assertEquals(300, reallocate.getInt("size"));
        assertEquals(5000, reallocate.getInt("newCapacity"));
        assertEquals(firstAddress.get(), reallocate.getLong("address"));

        RecordedEvent moved = ours.get(2);
        assertEquals(5000, moved.getInt("size"));
        assertEquals(5120, moved.getInt("maxFastCapacity"));
        assertNotEquals(firstAddress.get(), moved.getLong("address"));

        RecordedEvent free = ours.get(3);
        assertEquals(5000, free.getInt("size"));
        assertEquals(moved.getLong("address"), free.getLong("address"));

        RecordedEvent chunk = ours.get(4);
        assertEquals(HUGE, chunk.getInt("capacity"));
        assertFalse(chunk.getBoolean("direct"));
        assertFalse(chunk.getBoolean("pooled"));
        RecordedEvent huge = ours.get(5);
        assertEquals(HUGE, huge.getInt("size"));
        assertEquals(HUGE, huge.getInt("maxFastCapacity"));
        assertFalse(huge.getBoolean("direct"));
        assertEquals(0, huge.getLong("address"));
        assertFalse(huge.getBoolean("chunkPooled"));
        assertFalse(huge.getBoolean("chunkThreadLocal"));
        assertEquals(HUGE, ours.get(7).getInt("capacity"));

        assertTrue(events.stream().anyMatch(event -> event.getEventType().getName().equals("io.netty.AllocateBuffer")
                && allocatorType(event).equals(PooledByteBufAllocator.class.getName())),
            "Netty's own events arrive beside ours under the same name");
    }

    @Test
    void nothingIsRecordedWhileTheEventsAreOff() throws Exception {
        List<RecordedEvent> events = record(false, () -> {
            allocator.directBuffer(300).capacity(5000).release();
            allocator.heapBuffer(HUGE).release();
        });
        assertTrue(events.stream().noneMatch(BufferEventsTest::isOurs), events.toString());
    }

    private static boolean isOurs(RecordedEvent event) {
        return NAMES.contains(event.getEventType().getName())
            && allocatorType(event).equals(ApfByteBufAllocator.class.getName());
    }

    private static String allocatorType(RecordedEvent event) {
        RecordedClass type = event.getClass("allocatorType");
        return type == null ? "" : type.getName();
    }

    /** Runs {@code action} in a recording with Netty's allocator events enabled or not, and returns its events. */
    private static List<RecordedEvent> record(boolean enabled, ThrowingRunnable action) throws Exception {
        Path file = Files.createTempFile("apf-events", ".jfr");
        try (Recording recording = new Recording()) {
            for (String name : NAMES) {
                if (enabled) {
                    recording.enable(name).withoutStackTrace();
                } else {
                    recording.disable(name);
                }
            }
            recording.start();
            action.run();
            recording.stop();
            recording.dump(file);
            return RecordingFile.readAllEvents(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void onEventLoop(Runnable task) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread loop = new FastThreadLocalThread(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "apf-events-loop");
        loop.start();
        loop.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    /** An action that may throw. */
    private interface ThrowingRunnable {
        void run() throws InterruptedException, IOException;
    }
}
