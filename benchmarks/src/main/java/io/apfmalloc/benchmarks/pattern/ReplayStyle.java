package io.apfmalloc.benchmarks.pattern;

import io.apfmalloc.benchmarks.harness.Buffers;
import io.apfmalloc.benchmarks.harness.Labelled;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.SplittableRandom;

/**
 * How a replay picks the buffer to release, which memory it allocates and what it does to a new buffer. {@link #PAGES}
 * is this benchmark's own shape; the {@code NETTY_…} styles are the shape of Netty's microbenchmark
 * {@code ByteBufAllocatorAllocPatternBenchmark}: slots released in a seeded random permutation, cycled (every live
 * buffer lives exactly as many operations, the live set's size), direct or heap buffers, and a new buffer either left
 * untouched or given one write and one read (its {@code enableReadWrite}).
 */
public enum ReplayStyle implements Labelled {
    /** Slots drawn at random (with replacement), direct buffers, every 4 KiB page of a new buffer written. */
    PAGES(false, false, Touch.PAGES),
    /** Netty's shape: a permutation of the slots, direct buffers, untouched. */
    NETTY_DIRECT(true, false, Touch.NONE),
    /** Netty's shape with heap buffers. */
    NETTY_HEAP(true, true, Touch.NONE),
    /** Netty's shape, direct, each new buffer written and read once. */
    NETTY_DIRECT_RW(true, false, Touch.READ_WRITE),
    /** Netty's shape, heap, each new buffer written and read once. */
    NETTY_HEAP_RW(true, true, Touch.READ_WRITE);

    /** What is done to a newly allocated buffer. */
    private enum Touch {
        NONE, READ_WRITE, PAGES
    }

    private final boolean permutation;
    private final boolean heap;
    private final Touch touch;

    ReplayStyle(boolean permutation, boolean heap, Touch touch) {
        this.permutation = permutation;
        this.heap = heap;
        this.touch = touch;
    }

    /**
     * Fills {@code slots} with the live-set slots to release, one per operation: a permutation of {@code 0 …
     * liveBuffers - 1} repeated, or independent uniform draws.
     */
    void releaseOrder(int[] slots, int liveBuffers, SplittableRandom random) {
        if (!permutation) {
            for (int i = 0; i < slots.length; i++) {
                slots[i] = random.nextInt(liveBuffers);
            }
            return;
        }
        int[] order = permutation(liveBuffers, random);
        for (int i = 0; i < slots.length; i++) {
            slots[i] = order[i % liveBuffers];
        }
    }

    /** Returns a uniformly random permutation of {@code 0 … n - 1} (Fisher–Yates). */
    static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swapped = order[i];
            order[i] = order[j];
            order[j] = swapped;
        }
        return order;
    }

    /**
     * Allocates a buffer of {@code size} bytes of this style's memory from {@code allocator} and touches it as the
     * style says; returns a value read back (0 when nothing is read) so that nothing is dead code.
     */
    ByteBuf allocate(ByteBufAllocator allocator, int size) {
        ByteBuf buffer = heap ? allocator.heapBuffer(size) : allocator.directBuffer(size);
        switch (touch) {
            case PAGES -> Buffers.touchPages(buffer);
            case READ_WRITE -> {
                buffer.writeByte(size);
                buffer.readByte();
            }
            case NONE -> { }
            default -> throw new AssertionError(touch);
        }
        return buffer;
    }

    /** Returns the style named {@code label} (any case). */
    public static ReplayStyle of(String label) {
        return Labelled.parse(ReplayStyle.class, "style", label);
    }
}
