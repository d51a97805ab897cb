package io.apfmalloc.netty;

import io.netty.buffer.ByteBuf;

/**
 * Netty's buffer conformance suite on buffers that started in the smallest block and were moved to their size by
 * {@code capacity(int)}: every test then runs on a block reached through the move path.
 */
class ApfMovedDirectByteBufTest extends AbstractApfByteBufTest {
    @Override
    protected ByteBuf alloc(int length, int maxCapacity) {
        ByteBuf buffer = ALLOCATOR.directBuffer(Math.min(1, length), maxCapacity);
        return buffer.capacity(length);
    }
}
