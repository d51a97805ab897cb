package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The same allocator over pooled byte[] superblocks: what Netty's heap buffers are made of. */
class HeapMemoryTest {
    private static ApfAllocator heapAllocator() {
        return ApfAllocator.builder().memoryKind(MemoryKind.HEAP).maxMemory(256L << 20).retainBytes(0).retainMillis(0)
            .build();
    }

    private static void fill(ApfAllocator allocator, long address, int size, byte value) {
        Arrays.fill(allocator.array(address), allocator.arrayOffset(address), allocator.arrayOffset(address) + size,
            value);
    }

    @Test
    void blocksAreDisjointSlicesOfPooledArraysAndKeepTheirContents() {
        ApfAllocator allocator = heapAllocator();
        assertEquals(MemoryKind.HEAP, allocator.memoryKind());
        Random random = new Random(42);
        List<long[]> live = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            int size = 1 + random.nextInt(random.nextBoolean() ? 512 : 70_000);
            long address = allocator.malloc(size);
            assertNotEquals(0, address);
            assertTrue(allocator.usableSize(address) >= size);
            fill(allocator, address, size, (byte) i);
            live.add(new long[] {address, size, (byte) i});
        }
        for (long[] block : live) {
            byte[] array = allocator.array(block[0]);
            int offset = allocator.arrayOffset(block[0]);
            for (int j = 0; j < block[1]; j++) {
                assertEquals((byte) block[2], array[offset + j], "block overwritten by a neighbour");
            }
        }
        long[] addresses = live.stream().mapToLong(block -> block[0]).toArray();
        assertTrue(allocator.audit(addresses).isConsistent());
        for (long address : addresses) {
            allocator.free(address);
        }
        allocator.trim();
        assertEquals(0, allocator.stats().mappedBytes());
    }

    @Test
    void reallocCopiesBetweenArraysAndSegmentsViewTheArray() {
        ApfAllocator allocator = heapAllocator();
        long small = allocator.malloc(100);
        fill(allocator, small, 100, (byte) 7);
        long large = allocator.realloc(small, 3_000_000);
        assertNotSame(allocator.array(small), allocator.array(large));
        byte[] expected = new byte[100];
        Arrays.fill(expected, (byte) 7);
        MemorySegment segment = allocator.segment(large, 3_000_000);
        assertArrayEquals(expected, segment.asSlice(0, 100).toArray(ValueLayout.JAVA_BYTE));
        assertTrue(segment.isMapped() || !segment.isNative(), "a heap segment");
        allocator.free(large);
    }

    @Test
    void largeAllocationsUpToFourMebibytesAndNoFurther() {
        ApfAllocator allocator = heapAllocator();
        long address = allocator.malloc(4L << 20);
        assertNotEquals(0, address);
        assertEquals(4L << 20, allocator.array(address).length);
        allocator.free(address);
        assertEquals(0, allocator.malloc((4L << 20) + 1));
    }

    @Test
    void ffmViewsNeedAnOffHeapAllocator() {
        ApfAllocator allocator = heapAllocator();
        assertThrows(IllegalArgumentException.class, () -> ApfSegmentAllocator.of(allocator));
        assertThrows(IllegalArgumentException.class,
            () -> AutoPtr.allocate(allocator, ValueLayout.JAVA_LONG));
        assertThrows(IllegalStateException.class, () -> ApfMalloc.allocator().array(1));
    }
}
