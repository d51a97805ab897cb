package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our buffers go through Netty's leak detector: at PARANOID every buffer is tracked, so one dropped without release
 * is reported once it is collected; a double release throws.
 */
class LeakDetectionTest {
    private final ApfByteBufAllocator allocator = new ApfByteBufAllocator(true);
    private final Queue<String> leaks = new ConcurrentLinkedQueue<>();
    private ResourceLeakDetector.Level savedLevel;
    private ResourceLeakDetector<?> detector;

    @BeforeEach
    void trackEveryBuffer() throws ReflectiveOperationException {
        savedLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        // AbstractByteBuf's detector is package-private; a listener is the public way to hear its reports.
        Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
        field.setAccessible(true);
        detector = (ResourceLeakDetector<?>) field.get(null);
        detector.setLeakListener((resourceType, records) -> leaks.add(resourceType + ": " + records));
    }

    @AfterEach
    void restore() {
        detector.setLeakListener(null);
        ResourceLeakDetector.setLevel(savedLevel);
    }

    @Test
    void aDroppedBufferIsReported() throws InterruptedException {
        dropABuffer();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (leaks.isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
            // Reports are made when later buffers are tracked.
            allocator.directBuffer(16).release();
        }
        assertTrue(leaks.stream().anyMatch(leak -> leak.contains("dropped-by-LeakDetectionTest")), leaks.toString());
    }

    private void dropABuffer() {
        ByteBuf buffer = allocator.directBuffer(128);
        buffer.touch("dropped-by-LeakDetectionTest");
    }

    @Test
    void everyBufferIsLeakAwareAndDoubleReleaseThrows() {
        ByteBuf buffer = allocator.directBuffer(64);
        assertInstanceOf(ApfDirectByteBuf.class, buffer.unwrap(), "a leak-aware wrapper around our buffer");
        assertTrue(buffer.release());
        assertThrows(IllegalReferenceCountException.class, buffer::release);
        ByteBuf heap = allocator.heapBuffer(64);
        assertInstanceOf(ApfHeapByteBuf.class, heap.unwrap());
        assertTrue(heap.release());
        assertThrows(IllegalReferenceCountException.class, heap::release);
        assertEquals(0, allocator.metric().liveDirectBuffers() + allocator.metric().liveHeapBuffers());
    }
}
