package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBufAllocatorTest;
import io.netty.buffer.ByteBuf;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Netty's allocator conformance suite on {@link ApfByteBufAllocator}. Replaced, with the reason at each: the type
 * assertion (our buffer types, not Netty's unpooled ones) and the used-memory figures (our cores map one APF fetch
 * of superblocks per size class).
 */
class ApfByteBufAllocatorTest extends AbstractByteBufAllocatorTest<ApfByteBufAllocator> {
    /**
     * What the first allocation of a size class maps: a new bin's first fetch, made before APF has sampled
     * anything, asks for as much as a fetch may bring, {@code apfMaxFetchBytes} (128 KiB), in 64 KiB superblocks.
     */
    /** One 64 KiB superblock: the first fetch of a class is APF's slow start, 16 blocks of 1 or 2 KiB. */
    private static final long FIRST_FETCH = 64 * 1024;

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
     * Netty's version takes its figures from the {@code expectedUsedMemory} hooks, one figure per capacity; ours
     * count what the core maps: the first allocation of a class maps the superblock of its first fetch (APF's slow
     * start: 16 blocks, one 64 KiB superblock), moving the buffer to the 2 KiB class maps another, and both stay
     * mapped after release for reuse until {@code trim()}.
     */
    @Override
    @Test
    public void testUsedDirectMemory() {
        ApfByteBufAllocator allocator = newAllocator(true);
        checkUsedMemory(allocator, allocator.metric()::usedDirectMemory, allocator.directBuffer(1024, 4096));
    }

    /** As {@link #testUsedDirectMemory()}: heap buffers are blocks of the heap core, counted the same way. */
    @Override
    @Test
    public void testUsedHeapMemory() {
        ApfByteBufAllocator allocator = newAllocator(true);
        checkUsedMemory(allocator, allocator.metric()::usedHeapMemory, allocator.heapBuffer(1024, 4096));
    }

    private static void checkUsedMemory(ApfByteBufAllocator allocator, LongSupplier used, ByteBuf buffer) {
        assertEquals(FIRST_FETCH, used.getAsLong());
        buffer.capacity(buffer.capacity() << 1);
        assertEquals(2 * FIRST_FETCH, used.getAsLong(), buffer.toString());
        buffer.release();
        assertEquals(2 * FIRST_FETCH, used.getAsLong());
        allocator.trim();
        assertEquals(0, used.getAsLong());
    }
}
