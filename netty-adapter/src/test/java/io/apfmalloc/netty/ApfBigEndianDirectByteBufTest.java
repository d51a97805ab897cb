package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.nio.ByteOrder;

/** Netty's buffer conformance suite on big-endian direct buffers, each in the block of its own size class. */
class ApfBigEndianDirectByteBufTest extends AbstractApfByteBufTest {
    @Override
    protected ByteBuf alloc(int length, int maxCapacity) {
        ByteBuf buffer = ALLOCATOR.directBuffer(length, maxCapacity);
        assertSame(ByteOrder.BIG_ENDIAN, buffer.order());
        assertTrue(buffer.hasMemoryAddress());
        return buffer;
    }
}
