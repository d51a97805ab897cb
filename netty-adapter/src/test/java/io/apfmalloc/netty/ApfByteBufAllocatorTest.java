package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBufAllocatorTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocatorMetric;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Netty's allocator conformance suite on {@link ApfByteBufAllocator}. Replaced, with the reason at each: the type
 * assertion (our buffer types, not Netty's unpooled ones), the direct used-memory figures (our core maps 64 KiB
 * superblocks per size class), and the heap reuse test while heap buffers are unpooled.
 */
class ApfByteBufAllocatorTest extends AbstractByteBufAllocatorTest<ApfByteBufAllocator> {
    /**
     * What the first allocation of a size class maps: a new bin's first fetch, made before APF has sampled
     * anything, takes half the bin's bound, and the bound is the 1 MiB {@code maxBinBytes} budget (1,024 blocks of
     * 1 KiB, 512 of 2 KiB): 512 KiB, in 64 KiB superblocks.
     */
    private static final long FIRST_FETCH = 512 * 1024;

    @Override
    protected ApfByteBufAllocator newAllocator(boolean preferDirect) {
        return new ApfByteBufAllocator(preferDirect);
    }

    /** Our allocator has no unpooled mode; the type test below checks our own types instead. */
    @Override
    protected ApfByteBufAllocator newUnpooledAllocator() {
        return newAllocator(false);
    }

    @Override
    @Test
    public void testUnsafeHeapBufferAndUnsafeDirectBuffer() {
        ApfByteBufAllocator allocator = newUnpooledAllocator();
        ByteBuf directBuffer = allocator.directBuffer();
        assertInstanceOf(directBuffer, ApfDirectByteBuf.class);
        assertTrue(directBuffer.isDirect());
        directBuffer.release();

        ByteBuf heapBuffer = allocator.heapBuffer();
        assertInstanceOf(heapBuffer, ApfHeapByteBuf.class);
        assertFalse(heapBuffer.isDirect());
        heapBuffer.release();
    }

    /**
     * Netty's version expects one figure per capacity for heap and direct alike; ours differ: direct memory is
     * counted in superblocks mapped (a first fetch for the 1 KiB class, another when the buffer moves to the 2 KiB
     * class), kept after release for reuse until {@code trim()}, while unpooled heap memory is exactly the live
     * capacity (Netty's hooks, left at their defaults, state that for {@code testUsedHeapMemory}).
     */
    @Override
    @Test
    public void testUsedDirectMemory() {
        ApfByteBufAllocator allocator = newAllocator(true);
        ByteBufAllocatorMetric metric = allocator.metric();
        assertEquals(0, metric.usedDirectMemory());
        ByteBuf buffer = allocator.directBuffer(1024, 4096);
        assertEquals(FIRST_FETCH, metric.usedDirectMemory());

        buffer.capacity(buffer.capacity() << 1);
        assertEquals(2 * FIRST_FETCH, metric.usedDirectMemory(), buffer.toString());

        buffer.release();
        assertEquals(2 * FIRST_FETCH, metric.usedDirectMemory());
        allocator.trim();
        assertEquals(0, metric.usedDirectMemory());
    }

    @Override
    @Test
    @Disabled("Heap buffers are Netty's unpooled byte[] buffers until the core's heap superblocks land: each 1 MiB "
        + "heapBuffer allocates 1 MiB of Java heap. ApfPooledBufferTest checks the same for direct buffers.")
    public void shouldReuseChunks() {
    }
}
