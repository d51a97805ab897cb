package io.apfmalloc.core.internal.heap;

import io.apfmalloc.core.internal.os.MemorySource;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.superblock.LinkStore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * On-heap stand-in for the OS and for the blocks' memory, for the superblocks of one size class, that checks how the
 * heap uses them. Superblock {@code i} lives at {@link #FIRST_ADDRESS} {@code + i * superblockSize}: fake, aligned,
 * below 2^48, never dereferenced and never handed out twice. Its blocks' free-list links live in a plain
 * {@code int[]} (plain accesses, as off-heap memory), where never-written links read 0 as fresh OS memory does.
 *
 * <p>The test workload reports each block it receives from {@code fill} and gives to {@code flush}, so this class
 * fails (with an {@link AssertionError}) as soon as the heap:
 * <ul>
 *   <li>hands out a block that a user already holds;</li>
 *   <li>unmaps a superblock twice, or while a user still holds one of its blocks;</li>
 *   <li>reads or writes a link in memory it never mapped or already unmapped.</li>
 * </ul>
 * Running out of the fixed number of superblocks is reported to the heap as the OS refusing memory.
 */
final class FakeSuperblockMemory implements MemorySource, LinkStore {
    /** Where the first superblock goes: 4 GiB, far from any real mapping this test would mind. */
    static final long FIRST_ADDRESS = 1L << 32;

    private static final int NEVER_MAPPED = 0;
    private static final int MAPPED = 1;
    private static final int UNMAPPED = 2;

    private final int superblockSize;
    private final int blockSize;
    private final int blocksPerSuperblock;
    private final int capacity;
    private final AtomicInteger nextSuperblock = new AtomicInteger();
    private final AtomicIntegerArray superblockState;
    private final AtomicIntegerArray withUser;
    private final int[] links;

    /** Makes room for {@code capacity} superblocks of class {@code sizeClass}. */
    FakeSuperblockMemory(int sizeClass, int capacity) {
        this.superblockSize = SizeClasses.superblockSize(sizeClass);
        this.blockSize = SizeClasses.blockSize(sizeClass);
        this.blocksPerSuperblock = SizeClasses.blocksPerSuperblock(sizeClass);
        this.capacity = capacity;
        this.superblockState = new AtomicIntegerArray(capacity);
        this.withUser = new AtomicIntegerArray(capacity * blocksPerSuperblock);
        this.links = new int[capacity * blocksPerSuperblock];
    }

    @Override
    public long map(long size, long alignment) {
        check(size == superblockSize, "map of %d bytes, expected one superblock of %d", size, superblockSize);
        check(SizeClasses.SUPERBLOCK_ALIGNMENT % alignment == 0, "alignment %d", alignment);
        int superblock = nextSuperblock.getAndIncrement();
        if (superblock >= capacity) {
            return 0;
        }
        superblockState.set(superblock, MAPPED);
        return baseOf(superblock);
    }

    @Override
    public void unmap(long address, long size) {
        int superblock = superblockOf(address);
        check(address == baseOf(superblock) && size == superblockSize, "unmap(0x%x, %d)", address, size);
        int was = superblockState.compareAndExchange(superblock, MAPPED, UNMAPPED);
        check(was == MAPPED, "superblock %d unmapped while %s", superblock, was == UNMAPPED ? "unmapped" : "unused");
        for (int block = 0; block < blocksPerSuperblock; block++) {
            check(withUser.get(slot(superblock, block)) == 0,
                "superblock %d unmapped while block %d is with a user", superblock, block);
        }
    }

    @Override
    public int readLink(long blockAddress) {
        return links[liveSlot(blockAddress, "read")];
    }

    @Override
    public void writeLink(long blockAddress, int storedLink) {
        links[liveSlot(blockAddress, "write")] = storedLink;
    }

    /** Records that a user received {@code block} from the heap. */
    void handedOut(long block) {
        int slot = liveSlot(block, "hand out");
        check(withUser.compareAndExchange(slot, 0, 1) == 0, "block 0x%x handed out twice", block);
    }

    /** Records that a user is about to give {@code block} back to the heap. */
    void returning(long block) {
        check(withUser.compareAndExchange(slot(block), 1, 0) == 1, "test bug: block 0x%x was not with a user", block);
    }

    /** Returns how many superblocks the heap mapped (including those unmapped since). */
    int superblocksMapped() {
        return Math.min(nextSuperblock.get(), capacity);
    }

    /** Whether superblock {@code superblock} is mapped now. */
    boolean isMapped(int superblock) {
        return superblockState.get(superblock) == MAPPED;
    }

    /** Whether a user holds block {@code block} of superblock {@code superblock}. */
    boolean isWithUser(int superblock, int block) {
        return withUser.get(slot(superblock, block)) != 0;
    }

    /** Returns the address of superblock {@code superblock}. */
    long baseOf(int superblock) {
        return FIRST_ADDRESS + (long) superblock * superblockSize;
    }

    int blocksPerSuperblock() {
        return blocksPerSuperblock;
    }

    int superblockSize() {
        return superblockSize;
    }

    private int superblockOf(long address) {
        long offset = address - FIRST_ADDRESS;
        check(offset >= 0 && offset < (long) capacity * superblockSize, "address 0x%x is not ours", address);
        return (int) (offset / superblockSize);
    }

    private int slot(long block) {
        int superblock = superblockOf(block);
        long offset = block - baseOf(superblock);
        check(offset % blockSize == 0 && offset / blockSize < blocksPerSuperblock, "0x%x is no block", block);
        return slot(superblock, (int) (offset / blockSize));
    }

    private int slot(int superblock, int block) {
        return superblock * blocksPerSuperblock + block;
    }

    private int liveSlot(long block, String what) {
        int slot = slot(block);
        int superblock = slot / blocksPerSuperblock;
        check(superblockState.get(superblock) == MAPPED, "%s of block 0x%x in superblock %d, which is not mapped",
            what, block, superblock);
        return slot;
    }

    private static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new AssertionError(String.format(format, args));
        }
    }
}
