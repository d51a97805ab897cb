package io.apfmalloc.netty;

import io.netty.buffer.ByteBuf;

/**
 * Netty's buffer conformance suite on buffers whose block is well larger than their capacity (made for 1.5 times
 * the size, then shrunk in place): bounds must follow the capacity, not the block, and blocks of other size
 * classes than the plain suite's are used.
 */
class ApfSlackDirectByteBufTest extends AbstractApfByteBufTest {
    /** {@code newBuffer(150, 500)} asks for 226 bytes, held by the 256-byte class. */
    private static final int BLOCK_OF_226 = 256;

    @Override
    protected ByteBuf alloc(int length, int maxCapacity) {
        int oversized = (int) Math.min(maxCapacity, length + (length >> 1) + 1L);
        ByteBuf buffer = ALLOCATOR.directBuffer(oversized, maxCapacity);
        return buffer.capacity(length);
    }

    @Override
    int blockSizeOf150() {
        return BLOCK_OF_226;
    }
}
