package io.apfmalloc.core.testing;

import io.apfmalloc.core.ApfAllocator;
import io.apfmalloc.core.MemoryKind;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A test pattern written into an allocation and checked later, to catch a block handed to two users, a free list
 * link written into a live block, or a realloc that copies too little. The pattern is a function of a tag (chosen
 * per write, e.g. from address, size and a sequence number) and the offset, so a copy still shows where it came from.
 *
 * <p>Every long of the first {@link #DENSE_BYTES} is written; beyond that one long every {@link #SPARSE_STRIDE}
 * bytes and the last long of the usable size, so multi-MiB blocks cost little while every page is touched.
 *
 * <p>The bytes are reached through segments ({@link ApfAllocator#segment}), so the same pattern works for
 * {@link MemoryKind#HEAP} allocators, whose addresses are synthetic, and every access is bounds-checked against the
 * size the segment was made for.
 */
public final class BlockPattern {
    /** Bytes at the start of a block covered completely. */
    public static final long DENSE_BYTES = 512;
    /** Distance between the sampled longs after the dense part. */
    public static final long SPARSE_STRIDE = 256;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private BlockPattern() {
    }

    /** Returns a tag mixing the given values, so that neighbouring inputs give unrelated patterns. */
    public static long tag(long address, long size, long sequence) {
        return mix(mix(address) ^ (size * 0x9E3779B97F4A7C15L) ^ mix(sequence + 0x632BE59BD9B4E019L));
    }

    /** Writes the pattern of {@code tag} over all of {@code block}: an allocation's usable bytes. */
    public static void write(MemorySegment block, long tag) {
        long usable = block.byteSize();
        for (long offset = 0; offset + Long.BYTES <= usable; offset = nextOffset(offset, usable)) {
            block.set(WORD, offset, valueAt(tag, offset));
        }
    }

    /**
     * Checks the pattern of {@code tag}, as written over {@code usable} bytes, in the bytes of {@code target}: all of
     * the pattern, or its first {@code target.byteSize()} bytes when the target is shorter, as a realloc's copy may be
     * (a long cut by its end is checked byte by byte).
     *
     * @param address where {@code target} starts, for the message
     * @throws AssertionError naming the address, offset and values if a byte differs
     */
    public static void verify(MemorySegment target, long address, long usable, long tag) {
        long end = Math.min(usable, target.byteSize());
        for (long offset = 0; offset < end && offset + Long.BYTES <= usable; offset = nextOffset(offset, usable)) {
            long expected = valueAt(tag, offset);
            if (offset + Long.BYTES <= end) {
                long actual = target.get(WORD, offset);
                if (actual != expected) {
                    throw mismatch(address, offset, expected, actual);
                }
            } else {
                for (long i = offset; i < end; i++) {
                    byte actual = target.get(ValueLayout.JAVA_BYTE, i);
                    byte wanted = (byte) (expected >>> (8 * (i - offset)));
                    if (actual != wanted) {
                        throw mismatch(address, i, wanted & 0xFF, actual & 0xFF);
                    }
                }
            }
        }
    }

    private static long nextOffset(long offset, long usable) {
        long last = usable - Long.BYTES;
        if (offset + Long.BYTES < DENSE_BYTES) {
            return offset + Long.BYTES;
        }
        long next = offset + SPARSE_STRIDE;
        if (offset < last && next > last) {
            return last;
        }
        return next;
    }

    private static long valueAt(long tag, long offset) {
        return mix(tag + offset * 0xD1B54A32D192ED03L);
    }

    private static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static AssertionError mismatch(long address, long offset, long expected, long actual) {
        return new AssertionError(String.format("block 0x%x: byte(s) at offset %d are 0x%x, expected 0x%x",
            address, offset, actual, expected));
    }
}
