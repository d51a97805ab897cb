package io.apfmalloc.benchmarks.soak;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A pattern written into memory the soak holds and checked before it lets go: a long derived from a tag at the
 * start, the end and every 4 KiB in between, so a block handed to two owners, or freed while in use and reused,
 * shows as a mismatch while a multi-MiB block costs a few hundred writes.
 */
final class Stamp {
    private static final long STRIDE = 4096;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    private Stamp() {
    }

    /** Writes the pattern of {@code tag} over {@code memory} (at least 8 bytes long). */
    static void write(MemorySegment memory, long tag) {
        for (long offset : offsets(memory.byteSize())) {
            memory.set(WORD, offset, valueAt(tag, offset));
        }
    }

    /**
     * Checks the pattern of {@code tag} over {@code memory}.
     *
     * @throws IllegalStateException naming the offset if it differs
     */
    static void verify(MemorySegment memory, long tag) {
        verify(memory, memory.byteSize(), tag);
    }

    /**
     * Checks the part of a pattern written over {@code writtenSize} bytes that lies in {@code memory}: what a copy of
     * the first {@code memory.byteSize()} bytes must still show.
     *
     * @throws IllegalStateException naming the offset if it differs
     */
    static void verify(MemorySegment memory, long writtenSize, long tag) {
        for (long offset : offsets(writtenSize)) {
            if (offset + Long.BYTES > memory.byteSize()) {
                continue;
            }
            long actual = memory.get(WORD, offset);
            if (actual != valueAt(tag, offset)) {
                throw new IllegalStateException(String.format("memory at offset %d of %d bytes is 0x%x, expected 0x%x",
                    offset, memory.byteSize(), actual, valueAt(tag, offset)));
            }
        }
    }

    /** Offsets of the stamped longs: every stride from 0, and the last long unless it would overlap one of them. */
    private static long[] offsets(long size) {
        long last = size - Long.BYTES;
        int strides = (int) (last / STRIDE);
        boolean lastApart = last >= strides * STRIDE + Long.BYTES;
        long[] offsets = new long[strides + (lastApart ? 2 : 1)];
        for (int i = 0; i <= strides; i++) {
            offsets[i] = i * STRIDE;
        }
        if (lastApart) {
            offsets[strides + 1] = last;
        }
        return offsets;
    }

    private static long valueAt(long tag, long offset) {
        return mix(tag + offset * 0x9E3779B97F4A7C15L);
    }

    /** A strong 64-bit mix (SplitMix64's finalizer). */
    static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
