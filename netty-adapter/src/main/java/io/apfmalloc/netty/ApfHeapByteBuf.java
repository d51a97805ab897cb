package io.apfmalloc.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

/**
 * The allocator's heap buffer. For now its storage is a {@code byte[]} of exactly its capacity, as Netty's unpooled
 * heap buffer (whose public constructor it extends), counted in the allocator's metrics. The core is gaining
 * superblocks of {@code byte[]}; this class is where heap buffers will move onto them, behind the same allocator
 * API.
 */
final class ApfHeapByteBuf extends UnpooledHeapByteBuf {
    private final LiveBuffers live;

    ApfHeapByteBuf(ApfByteBufAllocator allocator, LiveBuffers live, int initialCapacity, int maxCapacity) {
        super(allocator, initialCapacity, maxCapacity);
        this.live = live;
        live.onAllocated(initialCapacity);
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
        int oldCapacity = capacity();
        super.capacity(newCapacity);
        live.onResized(oldCapacity, newCapacity);
        return this;
    }

    @Override
    protected void deallocate() {
        live.onReleased(capacity());
        super.deallocate();
    }
}
