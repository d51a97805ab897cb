package io.apfmalloc.netty;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the buffers alive and the bytes of their capacities, updated on allocation, resize and release from any
 * thread. {@link LongAdder}s keep the update cheap under contention; a read is a moment's sum.
 */
final class LiveBuffers {
    private final LongAdder bytes = new LongAdder();
    private final LongAdder buffers = new LongAdder();

    void onAllocated(int capacity) {
        buffers.increment();
        bytes.add(capacity);
    }

    void onResized(int oldCapacity, int newCapacity) {
        bytes.add(newCapacity - oldCapacity);
    }

    void onReleased(int capacity) {
        buffers.decrement();
        bytes.add(-capacity);
    }

    long bytes() {
        return bytes.sum();
    }

    long buffers() {
        return buffers.sum();
    }
}
