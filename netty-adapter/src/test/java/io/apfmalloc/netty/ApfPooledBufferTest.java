package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.ApfAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Checks of our own on pooled direct buffers: reuse, disjointness, growth, release. */
class ApfPooledBufferTest {
    private final ApfByteBufAllocator allocator = new ApfByteBufAllocator(true);

    /** These tests run Netty as JDK 25 does by default: without Netty's fast mode; nothing of ours needs it. */
    @Test
    void nettyRunsWithoutUnsafe() {
        assertFalse(PlatformDependent.hasUnsafe());
    }

    @Test
    void freshAndReusedBuffersStartAtZero() {
        ByteBuf first = allocator.directBuffer(300);
        long address = first.memoryAddress();
        first.writeBytes(new byte[200]).readerIndex(50).markReaderIndex().markWriterIndex();
        first.release();

        ByteBuf again = allocator.directBuffer(300);
        assertEquals(address, again.memoryAddress(), "the block just freed is reused first (LIFO bin)");
        assertIndicesAndMarksAtZero(again);
        again.release();
    }

    private static void assertIndicesAndMarksAtZero(ByteBuf buffer) {
        assertEquals(0, buffer.readerIndex());
        assertEquals(0, buffer.writerIndex());
        buffer.resetReaderIndex().resetWriterIndex();
        assertEquals(0, buffer.readerIndex());
        assertEquals(0, buffer.writerIndex());
    }

    @Test
    void distinctBuffersNeverOverlap() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<ByteBuf> buffers = new ArrayList<>();
        TreeMap<Long, Long> ranges = new TreeMap<>();
        for (int i = 0; i < 2_000; i++) {
            int size = 1 + random.nextInt(random.nextBoolean() ? 512 : 80_000);
            ByteBuf buffer = allocator.directBuffer(size);
            long start = buffer.memoryAddress();
            Long below = ranges.floorKey(start + size - 1);
            assertTrue(below == null || ranges.get(below) <= start, "overlap at 0x" + Long.toHexString(start)
                + " (seed " + seed + ")");
            ranges.put(start, start + size);
            byte fill = (byte) i;
            while (buffer.isWritable()) {
                buffer.writeByte(fill);
            }
            buffers.add(buffer);
        }
        for (int i = 0; i < buffers.size(); i++) {
            ByteBuf buffer = buffers.get(i);
            for (int at = 0; at < buffer.capacity(); at += 97) {
                assertEquals((byte) i, buffer.getByte(at), "seed " + seed);
            }
            buffer.release();
        }
        assertEquals(0, allocator.metric().liveDirectBuffers());
        assertEquals(0, allocator.metric().liveDirectBytes());
    }

    @Test
    void growthStaysCloseToTheCapacityAndKeepsContents() {
        ByteBuf buffer = allocator.directBuffer(0);
        for (int i = 0; i < 300_000; i++) {
            buffer.writeByte(i);
            int capacity = buffer.capacity();
            assertTrue(capacity <= Math.max(64, 2 * buffer.writerIndex()), "capacity " + capacity);
            assertEquals(capacity, allocator.metric().liveDirectBytes());
        }
        for (int i = 0; i < 300_000; i++) {
            assertEquals((byte) i, buffer.getByte(i));
        }
        // Past the largest class (1 MiB) the buffer lives in a mapping of its own.
        buffer.capacity(3 << 20);
        buffer.setByte((3 << 20) - 1, 42);
        assertEquals((byte) 299_999, buffer.getByte(299_999));
        buffer.capacity(1000);
        assertEquals(1000, buffer.writerIndex());
        assertEquals((byte) 999, buffer.getByte(999));
        buffer.release();
        assertEquals(0, allocator.metric().liveDirectBytes());
    }

    @Test
    void shrinkingTrimsIndicesAndKeepsTheHead() {
        ByteBuf buffer = allocator.directBuffer(4096);
        for (int i = 0; i < 4096; i++) {
            buffer.writeByte(i);
        }
        buffer.readerIndex(3000);
        buffer.capacity(2500);
        assertEquals(2500, buffer.readerIndex());
        assertEquals(2500, buffer.writerIndex());
        buffer.capacity(100);
        assertEquals(100, buffer.writerIndex());
        for (int i = 0; i < 100; i++) {
            assertEquals((byte) i, buffer.getByte(i));
        }
        buffer.release();
    }

    @Test
    void internalNioBufferIsACachedViewOfTheBlock() {
        ByteBuf buffer = allocator.directBuffer(1000);
        ByteBuffer view = buffer.internalNioBuffer(10, 20);
        assertTrue(view.isDirect());
        assertEquals(10, view.position());
        assertEquals(30, view.limit());
        view.put(10, (byte) 7);
        assertEquals(7, buffer.getByte(10));
        assertSame(view, buffer.internalNioBuffer(0, 5));
        assertEquals(1, buffer.nioBufferCount());
        ByteBuf ours = buffer instanceof ApfByteBuf ? buffer : buffer.unwrap();
        assertTrue(ours instanceof ApfByteBuf, "ours, or a leak-aware wrapper (the detector samples) around it");
        assertNull(ours.unwrap());
        buffer.release();
    }

    @Test
    void useAfterReleaseThrowsAndDoubleReleaseThrows() {
        ByteBuf buffer = allocator.directBuffer(64);
        assertTrue(buffer.release());
        assertThrows(IllegalReferenceCountException.class, () -> buffer.getByte(0));
        assertThrows(IllegalReferenceCountException.class, () -> buffer.setLong(0, 1));
        assertThrows(IllegalReferenceCountException.class, () -> buffer.getBytes(0, new byte[8]));
        assertThrows(IllegalReferenceCountException.class, buffer::memoryAddress);
        assertThrows(IllegalReferenceCountException.class, () -> buffer.internalNioBuffer(0, 1));
        assertThrows(IllegalReferenceCountException.class, () -> buffer.capacity(128));
        assertThrows(IllegalReferenceCountException.class, buffer::release);
        assertEquals(0, allocator.metric().liveDirectBuffers());
    }

    @Test
    void copiesBetweenOurBuffersArraysAndNioBuffers() {
        byte[] data = new byte[10_000];
        new Random(1).nextBytes(data);
        ByteBuf a = allocator.directBuffer(data.length).writeBytes(data);
        ByteBuf b = allocator.directBuffer(data.length).writeBytes(a, 0, data.length);
        ByteBuffer heap = ByteBuffer.allocate(data.length);
        b.getBytes(0, heap);
        assertArrayEquals(data, heap.array());
        ByteBuf c = allocator.heapBuffer(data.length).writeBytes(b.nioBuffer());
        assertArrayEquals(data, ByteBufUtil.getBytes(c));
        ByteBuf d = allocator.directBuffer(data.length);
        c.getBytes(0, d, data.length);
        byte[] back = new byte[data.length];
        d.getBytes(0, back);
        assertArrayEquals(data, back);
        for (ByteBuf buffer : List.of(a, b, c, d)) {
            assertTrue(buffer.release());
        }
    }

    /** Heap buffers grow in place up to their block, sized without asking the core: classes, large, own arrays. */
    @Test
    void heapBuffersReportTheirBlockAsFastWritableRoom() {
        for (int size : new int[] {1, 150, 5000, 65_536, (1 << 20) + 1, 3_000_000, (4 << 20) + 1}) {
            ByteBuf buffer = allocator.heapBuffer(size);
            int room = size > 4 << 20 ? size : (int) ApfAllocator.usableSizeFor(size);
            assertEquals(room, buffer.maxFastWritableBytes(), "size " + size);
            byte[] array = buffer.array();
            int offset = buffer.arrayOffset();
            buffer.writerIndex(size).ensureWritable(room - size);
            assertSame(array, buffer.array(), "size " + size);
            assertEquals(offset, buffer.arrayOffset(), "size " + size);
            buffer.setByte(room - 1, 1);
            buffer.release();
        }
        assertEquals(0, allocator.metric().liveHeapBytes());
    }

    /** As Netty's {@code shouldReuseChunks}, for direct buffers: reusing a 1 MiB block allocates no Java heap. */
    @Test
    void directBlocksAreReusedWithoutJavaHeap() {
        int size = 1 << 20;
        allocator.directBuffer(size, size).release();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100; i++) {
            allocator.directBuffer(size, size).release();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes of Java heap");
    }
}
