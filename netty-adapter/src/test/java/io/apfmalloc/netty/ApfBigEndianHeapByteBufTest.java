package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import java.nio.ByteOrder;

/** Netty's buffer conformance suite on big-endian heap buffers: slices of the heap core's pooled arrays. */
class ApfBigEndianHeapByteBufTest extends AbstractApfByteBufTest {
    @Override
    protected ByteBuf alloc(int length, int maxCapacity) {
        ByteBuf buffer = ALLOCATOR.heapBuffer(length, maxCapacity);
        assertSame(ByteOrder.BIG_ENDIAN, buffer.order());
        assertFalse(buffer.isDirect());
        return buffer;
    }
}
