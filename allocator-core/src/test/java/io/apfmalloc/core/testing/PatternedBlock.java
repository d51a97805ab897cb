package io.apfmalloc.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.ApfAllocator;

/**
 * An allocation a test holds, with the {@link BlockPattern} written over its whole usable size.
 *
 * @param memory  the API it came from, through which its bytes are read
 * @param address where it starts
 * @param usable  its usable size when the pattern was written
 * @param tag     the pattern's tag
 */
public record PatternedBlock(RawApi memory, long address, long usable, long tag) {
    /**
     * Writes a fresh pattern over the usable size of the allocation at {@code address}, after checking it holds
     * {@code size} bytes. {@code sequence} tells apart patterns of the same address and size.
     */
    public static PatternedBlock fill(ApfAllocator allocator, long address, long size, long sequence) {
        return fill(RawApi.of(allocator), address, size, sequence);
    }

    /** As {@link #fill(ApfAllocator, long, long, long)}, through {@code memory}. */
    public static PatternedBlock fill(RawApi memory, long address, long size, long sequence) {
        long usable = memory.usableSize(address);
        assertTrue(usable >= size, () -> "usableSize(0x" + Long.toHexString(address) + ") = " + usable + " < " + size);
        long tag = BlockPattern.tag(address, size, sequence);
        BlockPattern.write(memory.segment(address, usable), tag);
        return new PatternedBlock(memory, address, usable, tag);
    }

    /** Checks the whole pattern is still there. */
    public void verify() {
        BlockPattern.verify(memory.segment(address, usable), address, usable, tag);
    }

    /** Checks that the first {@code limit} bytes at {@code copy} are this block's, as a realloc must leave them. */
    public void verifyCopy(long copy, long limit) {
        BlockPattern.verify(memory.segment(copy, Math.min(usable, limit)), copy, usable, tag);
    }
}
