package io.apfmalloc.core.internal.superblock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.apfmalloc.core.internal.os.MemorySource;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link LinkStore}, which each implementation's test inherits (as Netty's
 * {@code AbstractByteBufTest}), over two superblocks of fresh memory from the source it belongs with: fresh memory
 * reads link 0 at every block (the chain {@code i -> i + 1}); a link reads back as written, at the first and the last
 * block of a superblock as anywhere; writing one block's link changes no other's; and a link is its block's first four
 * bytes, a native-order {@code int}, so the rest of the block and its neighbours keep their bytes. Blocks are 8 bytes
 * apart, as in the smallest size class, where links are packed tightest.
 */
abstract class LinkStoreContractTest {
    private static final int SUPERBLOCK = SizeClasses.SUPERBLOCK_ALIGNMENT;
    private static final int BLOCK = 8;
    private static final int[] LINKS = {0, 1, -1, 7, -8_191, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x1234_5678};
    private static final ValueLayout.OfInt NATIVE_INT = ValueLayout.JAVA_INT_UNALIGNED;

    private MemorySource memory;
    private LinkStore links;
    /** Two superblocks, mapped one after the other (not necessarily adjacent). */
    private final long[] superblocks = new long[2];

    /** Makes the memory the store under test reads, fresh for each test. */
    abstract MemorySource newMemory();

    /** Makes the store under test, over {@code memory}. */
    abstract LinkStore newLinks(MemorySource memory);

    /** Returns the bytes {@code [address, address + size)} of a mapping {@code memory} returned. */
    abstract MemorySegment bytes(MemorySource memory, long address, long size);

    @BeforeEach
    void mapSuperblocks() {
        memory = newMemory();
        links = newLinks(memory);
        for (int i = 0; i < superblocks.length; i++) {
            superblocks[i] = memory.map(SUPERBLOCK, SUPERBLOCK);
            assertNotEquals(0, superblocks[i], "no memory for the test");
        }
    }

    @AfterEach
    void unmapSuperblocks() {
        for (long superblock : superblocks) {
            memory.unmap(superblock, SUPERBLOCK);
        }
    }

    @Test
    void freshMemoryReadsLinkZeroAtEveryBlock() {
        for (long superblock : superblocks) {
            for (long block = superblock; block < superblock + SUPERBLOCK; block += BLOCK) {
                assertEquals(0, links.readLink(block), "fresh block at offset " + (block - superblock));
            }
        }
    }

    @Test
    void aLinkReadsBackAsWrittenAtEitherEndOfASuperblock() {
        long[] blocks = {superblocks[0], superblocks[0] + SUPERBLOCK / 2, superblocks[0] + SUPERBLOCK - BLOCK};
        for (long block : blocks) {
            for (int link : LINKS) {
                links.writeLink(block, link);
                assertEquals(link, links.readLink(block), "at offset " + (block - superblocks[0]));
            }
        }
    }

    @Test
    void writingALinkChangesNoOtherBlocksLink() {
        long first = superblocks[0];
        long last = first + SUPERBLOCK - BLOCK;
        for (long block = first; block <= last; block += 2 * BLOCK) {
            links.writeLink(block, linkFor(block));
        }
        links.writeLink(last, -1);
        for (long block = first; block <= last; block += BLOCK) {
            int expected = block == last ? -1 : (block - first) % (2 * BLOCK) == 0 ? linkFor(block) : 0;
            assertEquals(expected, links.readLink(block), "block at offset " + (block - first));
        }
        for (long block = superblocks[1]; block < superblocks[1] + SUPERBLOCK; block += BLOCK) {
            assertEquals(0, links.readLink(block), "the other superblock, at offset " + (block - superblocks[1]));
        }
    }

    @Test
    void aLinkIsItsBlocksFirstFourBytesInNativeOrder() {
        long block = superblocks[0] + 5 * BLOCK;
        MemorySegment around = bytes(memory, block - BLOCK, 3 * BLOCK);
        around.fill((byte) 0xA5);
        links.writeLink(block, 0x1234_5678);
        assertEquals(0x1234_5678, around.get(NATIVE_INT, BLOCK), "the block's first four bytes");
        for (long offset = 0; offset < around.byteSize(); offset++) {
            if (offset < BLOCK || offset >= BLOCK + Integer.BYTES) {
                assertEquals((byte) 0xA5, around.get(ValueLayout.JAVA_BYTE, offset), "byte " + offset + " touched");
            }
        }
        around.set(NATIVE_INT, BLOCK, -42);
        assertEquals(-42, links.readLink(block), "a link written as memory reads as the link");
    }

    private static int linkFor(long block) {
        return (int) (block * 0x9E3779B9L) | 1;
    }
}
