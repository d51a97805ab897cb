package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An allocation a test holds, with the {@link BlockPattern} written over its whole usable size.
 *
 * @param address where it starts
 * @param usable  its usable size when the pattern was written
 * @param tag     the pattern's tag
 */
record PatternedBlock(long address, long usable, long tag) {
    /**
     * Writes a fresh pattern over the usable size of the allocation at {@code address}, after checking it holds
     * {@code size} bytes. {@code sequence} tells apart patterns of the same address and size.
     */
    static PatternedBlock fill(ApfAllocator allocator, long address, long size, long sequence) {
        long usable = allocator.usableSize(address);
        assertTrue(usable >= size, () -> "usableSize(0x" + Long.toHexString(address) + ") = " + usable + " < " + size);
        long tag = BlockPattern.tag(address, size, sequence);
        BlockPattern.write(address, usable, tag);
        return new PatternedBlock(address, usable, tag);
    }

    /** Checks the whole pattern is still there. */
    void verify() {
        BlockPattern.verify(address, usable, tag);
    }

    /** Checks that the first {@code limit} bytes at {@code copy} are this block's, as a realloc must leave them. */
    void verifyCopy(long copy, long limit) {
        BlockPattern.verify(copy, usable, tag, limit);
    }
}
