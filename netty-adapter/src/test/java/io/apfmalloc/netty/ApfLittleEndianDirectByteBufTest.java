package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import java.nio.ByteOrder;

/** Netty's buffer conformance suite on direct buffers seen little-endian (through Netty's swapped view). */
class ApfLittleEndianDirectByteBufTest extends AbstractApfByteBufTest {
    @Override
    protected ByteBuf alloc(int length, int maxCapacity) {
        ByteBuf buffer = ALLOCATOR.directBuffer(length, maxCapacity).order(ByteOrder.LITTLE_ENDIAN);
        assertSame(ByteOrder.LITTLE_ENDIAN, buffer.order());
        return buffer;
    }
}
