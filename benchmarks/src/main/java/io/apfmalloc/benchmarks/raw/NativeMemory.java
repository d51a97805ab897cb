package io.apfmalloc.benchmarks.raw;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/** Writes to raw addresses, the way every benchmark here touches the blocks it allocates. */
public final class NativeMemory {
    /**
     * Alignment asked of every arena allocation: 16 bytes, what {@code malloc} guarantees on x86-64 and AArch64, so
     * that the arena (which allocates with {@code malloc} underneath) never over-allocates to align. Arenas also
     * zero what they allocate, which the other allocators do not; that cost is part of what an FFM user pays.
     */
    public static final long ARENA_ALIGNMENT = 16;
    /** Every address, from 0 to {@code Long.MAX_VALUE}: the JIT drops the trivially true bounds check. */
    private static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    /** A byte of {@link #EVERYTHING}: coordinates (segment, address). */
    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();

    private NativeMemory() {
    }

    /**
     * Writes {@code address} into the first eight bytes at {@code address} and returns it.
     *
     * @throws OutOfMemoryError if {@code address} is 0 (the allocator refused), instead of crashing the JVM
     */
    public static long touch(long address) {
        if (address == 0) {
            throw new OutOfMemoryError("the allocator under test returned 0");
        }
        EVERYTHING.set(ValueLayout.JAVA_LONG_UNALIGNED, address, address);
        return address;
    }

    /** Writes the segment's address into its first eight bytes and returns the address, like {@link #touch}. */
    public static long touch(MemorySegment segment) {
        long address = segment.address();
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, address);
        return address;
    }

    /**
     * Stores {@code value} at {@code address} with opaque ordering: every such store is performed, none is merged with
     * the next one to the same byte or dropped (what a C benchmark gets by writing through a {@code volatile}), and on
     * x86-64 and AArch64 it is a plain store, with no fence.
     */
    public static void setByteOpaque(long address, byte value) {
        BYTE.setOpaque(EVERYTHING, address, value);
    }

    /** Loads the byte at {@code address} with opaque ordering: the load is performed each time. */
    public static byte getByteOpaque(long address) {
        return (byte) BYTE.getOpaque(EVERYTHING, address);
    }
}
