package io.apfmalloc.core.internal.sizeclass;

/**
 * The size classes: jemalloc's spacing (8 B steps up to 64 B, then four classes per power of two) extended to
 * {@link #MAX_BLOCK_SIZE} (1 MiB), so that Netty's buffers (64 B … 64 KiB reads, 16 KiB+ TLS records, 1 MiB
 * adaptive chunks) are all pooled. Each class also fixes its superblock: a multiple of {@link #SUPERBLOCK_ALIGNMENT}
 * holding at least {@link #minimumBlocks four blocks} (two above 64 KiB), picked to waste the least tail space.
 *
 * <p>The lookup {@link #classOf(long)} is branch-light arithmetic, O(1), with no table on the hot path.
 */
public final class SizeClasses {
    /** Smallest block; every block can hold the 4-byte in-band free-list link. */
    public static final int MIN_BLOCK_SIZE = 8;
    /** Largest pooled block; bigger requests are large allocations with their own mapping. */
    public static final int MAX_BLOCK_SIZE = 1 << 20;
    /**
     * Superblocks are aligned to and sized in multiples of this (64 KiB): the page map's granularity, and big
     * enough that the smallest class gets 8,192 blocks per superblock, as lrmalloc's.
     */
    public static final int SUPERBLOCK_ALIGNMENT = 1 << 16;
    /**
     * A superblock holds at least this many blocks, so that one fetch serves several allocations; but see
     * {@link #FOUR_BLOCKS_LIMIT}.
     */
    public static final int MIN_BLOCKS_PER_SUPERBLOCK = 4;
    /**
     * Superblocks that four blocks would make larger than this (256 KiB: classes above 64 KiB) hold at least two
     * blocks instead: every class in use holds a superblock, and at four blocks the largest classes' would be
     * 0.5–4 MiB each, for buffers a program often has only one or two of at a time.
     */
    public static final int FOUR_BLOCKS_LIMIT = 1 << 18;
    /** Blocks per superblock must fit the anchor's 16-bit fields, with one value left for "none". */
    public static final int MAX_BLOCKS_PER_SUPERBLOCK = 0xFFFF - 1;

    private static final int LINEAR_CLASSES = 8;
    private static final int LINEAR_LIMIT = LINEAR_CLASSES * MIN_BLOCK_SIZE;
    private static final int CLASSES_PER_DOUBLING = 4;
    /** Number of size classes: 8 linear ones, then four per doubling from 64 B to 1 MiB. */
    public static final int COUNT = LINEAR_CLASSES + CLASSES_PER_DOUBLING * (20 - 6);

    private static final int[] BLOCK_SIZE = new int[COUNT];
    private static final int[] SUPERBLOCK_SIZE = new int[COUNT];
    private static final int[] BLOCKS_PER_SUPERBLOCK = new int[COUNT];
    private static final long[] DIVISION_MAGIC = new long[COUNT];
    /** Per class, the bytes its blocks span in a superblock, which a block start lies below. */
    private static final long[] BLOCK_SPAN = new long[COUNT];
    /** Offsets within a superblock stay below 2^22 (4 MiB); see {@link #blockIndex}. */
    private static final int DIVISION_SHIFT = 44;
    private static final long DIVISION_FRACTION = (1L << DIVISION_SHIFT) - 1;

    static {
        for (int c = 0; c < COUNT; c++) {
            int size;
            if (c < LINEAR_CLASSES) {
                size = (c + 1) * MIN_BLOCK_SIZE;
            } else {
                int group = (c - LINEAR_CLASSES) / CLASSES_PER_DOUBLING;
                int step = (c - LINEAR_CLASSES) % CLASSES_PER_DOUBLING + 1;
                int base = LINEAR_LIMIT << group;
                size = base + step * (base / CLASSES_PER_DOUBLING);
            }
            BLOCK_SIZE[c] = size;
            SUPERBLOCK_SIZE[c] = chooseSuperblockSize(size);
            BLOCKS_PER_SUPERBLOCK[c] = SUPERBLOCK_SIZE[c] / size;
            DIVISION_MAGIC[c] = ((1L << DIVISION_SHIFT) + size - 1) / size;
            BLOCK_SPAN[c] = (long) BLOCKS_PER_SUPERBLOCK[c] * size;
        }
    }

    private SizeClasses() {
    }

    /** Returns the fewest blocks a superblock of {@code blockSize}-byte blocks holds. */
    public static int minimumBlocks(int blockSize) {
        return (long) blockSize * MIN_BLOCKS_PER_SUPERBLOCK <= FOUR_BLOCKS_LIMIT ? MIN_BLOCKS_PER_SUPERBLOCK : 2;
    }

    /** Picks, among the first eight candidate sizes, the one with the smallest wasted tail fraction. */
    private static int chooseSuperblockSize(int blockSize) {
        long minimum = Math.max(SUPERBLOCK_ALIGNMENT, (long) blockSize * minimumBlocks(blockSize));
        long first = (minimum + SUPERBLOCK_ALIGNMENT - 1) / SUPERBLOCK_ALIGNMENT;
        long best = first * SUPERBLOCK_ALIGNMENT;
        double bestWaste = 1;
        for (long units = first; units < first + 8; units++) {
            long candidate = units * SUPERBLOCK_ALIGNMENT;
            if (candidate / blockSize > MAX_BLOCKS_PER_SUPERBLOCK) {
                break;
            }
            double waste = (double) (candidate % blockSize) / candidate;
            if (waste < bestWaste - 1e-9) {
                best = candidate;
                bestWaste = waste;
            }
        }
        return Math.toIntExact(best);
    }

    /**
     * Returns the class serving {@code size} bytes, or {@code -1} when {@code size > MAX_BLOCK_SIZE}.
     * A size of 0 is served by the smallest class.
     *
     * @param size a non-negative request size
     */
    public static int classOf(long size) {
        if (size <= LINEAR_LIMIT) {
            return size == 0 ? 0 : (int) ((size - 1) >>> 3);
        }
        if (size > MAX_BLOCK_SIZE) {
            return -1;
        }
        int log = 63 - Long.numberOfLeadingZeros(size - 1);
        int stepShift = log - 2;
        int step = (int) ((size - 1 - (1L << log)) >>> stepShift);
        return LINEAR_CLASSES + (log - 6) * CLASSES_PER_DOUBLING + step;
    }

    /** Returns the smallest class at or above {@code size} whose blocks are all {@code alignment}-aligned, or -1. */
    public static int alignedClassOf(long size, long alignment) {
        int c = classOf(size);
        if (c < 0) {
            return -1;
        }
        for (; c < COUNT; c++) {
            if ((BLOCK_SIZE[c] & (alignment - 1)) == 0) {
                return c;
            }
        }
        return -1;
    }

    /** Returns the block size of class {@code sizeClass}. */
    public static int blockSize(int sizeClass) {
        return BLOCK_SIZE[sizeClass];
    }

    /** Returns the superblock size of class {@code sizeClass}: a multiple of {@link #SUPERBLOCK_ALIGNMENT}. */
    public static int superblockSize(int sizeClass) {
        return SUPERBLOCK_SIZE[sizeClass];
    }

    /** Returns how many blocks a superblock of class {@code sizeClass} holds. */
    public static int blocksPerSuperblock(int sizeClass) {
        return BLOCKS_PER_SUPERBLOCK[sizeClass];
    }

    /**
     * Returns {@code offset / blockSize(sizeClass)} by multiplication: exact for every offset inside a superblock
     * (below 2^22), because the magic's rounding error times the offset stays below 2^44.
     */
    public static int blockIndex(int sizeClass, long offset) {
        return (int) ((offset * DIVISION_MAGIC[sizeClass]) >>> DIVISION_SHIFT);
    }

    /**
     * Returns whether {@code offset} (at least 0) from a superblock's start is where one of its blocks of class
     * {@code sizeClass} starts, with one multiply: with {@code magic * size = 2^44 + e} ({@code 0 <= e < size}), an
     * offset {@code q * size + r} inside the blocks' span has the fraction {@code q * e + r * magic} below 2^44, which
     * is below {@code magic} exactly when {@code r} is 0 ({@code q * e} stays below the span, at most 2^22, and
     * {@code magic} is at least 2^24).
     */
    public static boolean startsBlock(int sizeClass, long offset) {
        long magic = DIVISION_MAGIC[sizeClass];
        return offset < BLOCK_SPAN[sizeClass] && ((offset * magic) & DIVISION_FRACTION) < magic;
    }
}
