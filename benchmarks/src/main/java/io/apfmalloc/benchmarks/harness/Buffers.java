package io.apfmalloc.benchmarks.harness;

import io.netty.buffer.ByteBuf;

/** What benchmarks do to the buffers they allocate. */
public final class Buffers {
    private static final int PAGE = 4096;

    private Buffers() {
    }

    /**
     * Writes one byte in every 4 KiB page of {@code buffer}'s capacity and its last byte, so that the memory of a live
     * buffer is resident, as a buffer filled by a read is, whatever the allocator: the same stores for every one.
     */
    public static void touchPages(ByteBuf buffer) {
        int capacity = buffer.capacity();
        for (int i = 0; i < capacity; i += PAGE) {
            buffer.setByte(i, i);
        }
        buffer.setByte(capacity - 1, capacity);
    }
}
