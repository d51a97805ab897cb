package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractPooledByteBufTest;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

/**
 * Netty's conformance suite for pooled buffers ({@code AbstractByteBufTest} and the pooled checks: fresh buffers
 * have indices and marks at 0, distinct buffers never overlap, growth within the block), run on our buffers.
 * Subclasses choose direct or heap, the byte order and how the buffer comes to its block.
 *
 * <p>Two tests are replaced, as Netty's adaptive buffer tests replace them, because Netty's versions cast to its
 * {@code PooledByteBuf} to read the chunk handle: ours assert the same with our block size and the block's place
 * (its address, or its array and offset).
 */
abstract class AbstractApfByteBufTest extends AbstractPooledByteBufTest {
    /** One allocator per test class, so that buffers of other classes' tests never share its caches. */
    static final ApfByteBufAllocator ALLOCATOR = new ApfByteBufAllocator(true);

    /** The size class that holds a 150-byte request (…, 128, 160, 192, …: four classes per doubling). */
    private static final int BLOCK_OF_150 = 160;

    /** Returns the block size a buffer made by {@code newBuffer(150, 500)} has; the class of 150 unless overridden. */
    int blockSizeOf150() {
        return BLOCK_OF_150;
    }

    /** Identifies the block under {@code buffer}: its address, or its array and offset. */
    private static long blockOf(ByteBuf buffer) {
        return buffer.hasMemoryAddress()
            ? buffer.memoryAddress()
            : (long) System.identityHashCode(buffer.array()) << 32 | buffer.arrayOffset();
    }

    @Override
    @Test
    public void testMaxFastWritableBytes() {
        ByteBuf buffer = newBuffer(150, 500).writerIndex(100);
        assertEquals(50, buffer.writableBytes());
        assertEquals(150, buffer.capacity());
        assertEquals(500, buffer.maxCapacity());
        assertEquals(400, buffer.maxWritableBytes());

        int block = blockSizeOf150();
        assertEquals(block - 100, buffer.maxFastWritableBytes());

        // Writing up to the block's end grows in place: same address.
        long addressBefore = blockOf(buffer);
        buffer.writeBytes(new byte[block - 100]);
        assertEquals(addressBefore, blockOf(buffer));
        assertEquals(block, buffer.capacity());
        assertEquals(0, buffer.maxFastWritableBytes());

        // One more byte moves the contents to a larger block.
        buffer.writeByte(7);
        assertNotEquals(addressBefore, blockOf(buffer));

        // The block may exceed maxCapacity; fast-writable bytes never do.
        buffer.capacity(500);
        assertEquals(500 - buffer.writerIndex(), buffer.maxFastWritableBytes());
        buffer.release();
    }

    @Override
    @Test
    public void testEnsureWritableDoesntGrowTooMuch() {
        ByteBuf buffer = newBuffer(150, 500).writerIndex(100);
        assertEquals(50, buffer.writableBytes());
        int fastWritable = buffer.maxFastWritableBytes();
        assertTrue(fastWritable > 50);
        long addressBefore = blockOf(buffer);

        // Growing within the block neither moves nor over-reserves: the capacity grows by exactly what was asked.
        buffer.ensureWritable(fastWritable);
        assertEquals(addressBefore, blockOf(buffer));
        assertEquals(100 + fastWritable, buffer.capacity());
        assertEquals(buffer.writableBytes(), buffer.maxFastWritableBytes());
        buffer.release();
    }
}
