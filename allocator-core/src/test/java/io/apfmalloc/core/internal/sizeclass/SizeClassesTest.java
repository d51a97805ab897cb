package io.apfmalloc.core.internal.sizeclass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SizeClassesTest {
    /** The reference lookup: the first class whose block is big enough, by linear scan. */
    private static int scan(long size) {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            if (SizeClasses.blockSize(c) >= size) {
                return c;
            }
        }
        return -1;
    }

    @Test
    void followsJemallocSpacingUpToOneMebibyte() {
        assertEquals(64, SizeClasses.COUNT);
        int[] expectedStart = {8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
        for (int c = 0; c < expectedStart.length; c++) {
            assertEquals(expectedStart[c], SizeClasses.blockSize(c), "class " + c);
        }
        assertEquals(14336, SizeClasses.blockSize(SizeClasses.classOf(14336)));
        assertEquals(SizeClasses.MAX_BLOCK_SIZE, SizeClasses.blockSize(SizeClasses.COUNT - 1));
        for (int c = 1; c < SizeClasses.COUNT; c++) {
            assertTrue(SizeClasses.blockSize(c) > SizeClasses.blockSize(c - 1));
            assertEquals(0, SizeClasses.blockSize(c) % 8, "blocks are 8-byte aligned");
        }
    }

    @Test
    void lookupMatchesLinearScanForEverySizeUpTo64KiBAndAroundEveryClassAbove() {
        for (long size = 0; size <= 65536; size++) {
            assertEquals(scan(size), SizeClasses.classOf(size), "size " + size);
        }
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            long block = SizeClasses.blockSize(c);
            for (long size = block - 2; size <= block + 2; size++) {
                assertEquals(scan(size), SizeClasses.classOf(size), "size " + size);
            }
        }
        assertEquals(-1, SizeClasses.classOf(SizeClasses.MAX_BLOCK_SIZE + 1L));
        assertEquals(-1, SizeClasses.classOf(Long.MAX_VALUE));
    }

    @Test
    void superblocksAreAlignedMultiplesHoldingEnoughBlocksWithLittleWaste() {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            int superblock = SizeClasses.superblockSize(c);
            int blocks = SizeClasses.blocksPerSuperblock(c);
            assertEquals(0, superblock % SizeClasses.SUPERBLOCK_ALIGNMENT, "class " + c);
            assertTrue(blocks >= SizeClasses.minimumBlocks(SizeClasses.blockSize(c)), "class " + c);
            assertTrue(blocks <= SizeClasses.MAX_BLOCKS_PER_SUPERBLOCK, "class " + c);
            if (SizeClasses.blockSize(c) > SizeClasses.FOUR_BLOCKS_LIMIT / SizeClasses.MIN_BLOCKS_PER_SUPERBLOCK) {
                assertTrue(blocks <= SizeClasses.MIN_BLOCKS_PER_SUPERBLOCK, "class " + c + " holds " + blocks);
            }
            assertEquals(superblock / SizeClasses.blockSize(c), blocks);
            double waste = (double) (superblock - (long) blocks * SizeClasses.blockSize(c)) / superblock;
            assertTrue(waste < 0.13, "class " + c + " wastes " + waste);
        }
        assertEquals(8192, SizeClasses.blocksPerSuperblock(0));
    }

    @Test
    void blockIndexIsExactDivisionForEveryOffsetInASuperblock() {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            int blockSize = SizeClasses.blockSize(c);
            long end = SizeClasses.superblockSize(c);
            for (long offset = 0; offset < end; offset += Math.max(1, blockSize / 3)) {
                assertEquals(offset / blockSize, SizeClasses.blockIndex(c, offset), "class " + c + " @" + offset);
            }
            assertEquals((end - 1) / blockSize, SizeClasses.blockIndex(c, end - 1));
        }
    }


    @Test
    void startsBlockHoldsExactlyAtBlockStartsBelowTheBlocksSpanForEveryOffset() {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            long blockSize = SizeClasses.blockSize(c);
            long span = SizeClasses.blocksPerSuperblock(c) * blockSize;
            long superblock = SizeClasses.superblockSize(c);
            for (long offset = 0; offset < superblock; offset++) {
                boolean expected = offset < span && offset % blockSize == 0;
                if (SizeClasses.startsBlock(c, offset) != expected) {
                    assertEquals(expected, SizeClasses.startsBlock(c, offset), "class " + c + " @" + offset);
                }
            }
        }
    }
    @Test
    void alignedClassHasNaturallyAlignedBlocks() {
        for (long alignment = 16; alignment <= SizeClasses.SUPERBLOCK_ALIGNMENT; alignment <<= 1) {
            for (long size : new long[] {1, 100, 4096, 70_000}) {
                int c = SizeClasses.alignedClassOf(size, alignment);
                assertTrue(c >= 0, "alignment " + alignment + " size " + size);
                assertTrue(SizeClasses.blockSize(c) >= size);
                assertEquals(0, SizeClasses.blockSize(c) % alignment);
            }
        }
        assertEquals(-1, SizeClasses.alignedClassOf(SizeClasses.MAX_BLOCK_SIZE + 1L, 16));
    }
}
