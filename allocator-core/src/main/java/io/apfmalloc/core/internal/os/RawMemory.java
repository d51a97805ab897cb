package io.apfmalloc.core.internal.os;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The whole native address space as one segment, for reads and writes at raw addresses the allocator owns: the
 * JIT drops the trivially true bounds check, so this costs what a plain pointer access costs.
 */
public final class RawMemory {
    /** Every address, from 0 to {@code Long.MAX_VALUE}. */
    public static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private RawMemory() {
    }

    /** Copies {@code bytes} bytes from {@code source} to {@code target}; the ranges must not overlap. */
    public static void copy(long source, long target, long bytes) {
        MemorySegment.copy(EVERYTHING, source, EVERYTHING, target, bytes);
    }

    /** Writes zeros to the {@code bytes} bytes from {@code address}. */
    public static void clear(long address, long bytes) {
        EVERYTHING.asSlice(address, bytes).fill((byte) 0);
    }

    /** Reads the short at {@code address}. */
    public static short getShort(long address) {
        return EVERYTHING.get(ValueLayout.JAVA_SHORT_UNALIGNED, address);
    }

    /** Writes the short at {@code address}. */
    public static void putShort(long address, short value) {
        EVERYTHING.set(ValueLayout.JAVA_SHORT_UNALIGNED, address, value);
    }

    /** Reads the int at {@code address}. */
    public static int getInt(long address) {
        return EVERYTHING.get(ValueLayout.JAVA_INT_UNALIGNED, address);
    }

    /** Writes the int at {@code address}. */
    public static void putInt(long address, int value) {
        EVERYTHING.set(ValueLayout.JAVA_INT_UNALIGNED, address, value);
    }
}
