package io.apfmalloc.core.internal.heap;

import io.apfmalloc.core.internal.os.BoundedCounter;
import io.apfmalloc.core.internal.os.OsMemory;
import io.apfmalloc.core.internal.os.RawMemory;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;

/**
 * One reservation of address space that off-heap superblocks are carved from, with a flat class map over it: the
 * fast way from an address to its size class that {@code free} takes, one subtraction, one shift and one load, where
 * the {@link io.apfmalloc.core.internal.pagemap.PageMap page map} walks two levels to a descriptor and then reads
 * it.
 *
 * <p>The reservation is mapped once, {@code MAP_NORESERVE} (its untouched pages cost nothing), and is never unmapped.
 * A superblock's range is carved by a bump of the next free unit; when the superblock is released its pages go back
 * to the kernel ({@link OsMemory#discard}, RSS drops as with {@code munmap}) and its range goes on its class's stack
 * of free ranges, so the next superblock of that class reuses it with no system call at all. Ranges are reused by
 * class only: a class's ranges all have its superblock size, so nothing fragments, at the price of address space that
 * one class freed and another cannot use. When the reservation is used up, or was refused, superblocks are mapped
 * one by one as before, and their addresses take the page map's way.
 *
 * <p>The map has a 16-bit entry per 64 KiB unit: the class plus one (0 for a unit of no live superblock) and the
 * unit's index inside its superblock, so that the superblock's base follows from the address. Entries are plain
 * stores, written before the superblock is published (page map, partial list) and cleared before its range is
 * pushed for reuse: a thread that frees a block learnt of it through a chain of happens-before edges from the
 * superblock's set-up, and a range's reuse happens after its release through the free stack's CAS.
 *
 * <p>Superblocks of classes of {@link #SIDE_LINKED_BLOCK} bytes and more keep their free-list links out of band, in a
 * dense table of 16-bit slots, one per 256 bytes of the arena (block starts of such classes are at least that far
 * apart, so each has a slot of its own): a fill then walks a few cache lines of links instead of touching one page
 * per block, and a block's memory is not read or written while it is free. A released superblock's slots are zeroed
 * with it, so that a fresh superblock's links read {@code i -> i + 1} as its in-band links would. Smaller classes keep
 * their links in band, where eight or more share a cache line anyway.
 *
 * <p>The map, the free stacks' links and the side links live at the start of the reservation itself, so they too
 * cost memory only where superblocks were carved.
 */
public final class SuperblockArena {
    /** Address space reserved per byte of the memory limit: room to move the whole limit between classes thrice. */
    public static final int RESERVATION_PER_LIMIT = 4;
    /** The largest reservation: 256 GiB, a few hundred of which fit a 47-bit user address space. */
    public static final long MAX_RESERVATION = 1L << 38;
    /** The smallest reservation worth making: 64 MiB. */
    public static final long MIN_RESERVATION = 1L << 26;
    /** Classes whose blocks are at least this large keep their free-list links in the side table. */
    public static final int SIDE_LINKED_BLOCK = 256;

    /** An arena with no units: every address takes the page map's way, every superblock gets its own mapping. */
    public static final SuperblockArena NONE = new SuperblockArena();

    private static final int UNIT_SHIFT = Integer.numberOfTrailingZeros(SizeClasses.SUPERBLOCK_ALIGNMENT);
    private static final int CLASS_BITS = 7;
    private static final int CLASS_MASK = (1 << CLASS_BITS) - 1;
    private static final int ENTRY_BYTES = Short.BYTES;
    private static final int LINK_BYTES = Integer.BYTES;
    private static final int SIDE_LINK_SHIFT = Integer.numberOfTrailingZeros(SIDE_LINKED_BLOCK);
    private static final int SIDE_LINK_BYTES = Short.BYTES;
    /** Table bytes per unit: its class map entry, its free-stack link, its side-link slots. */
    private static final int TABLE_BYTES_PER_UNIT = ENTRY_BYTES + LINK_BYTES
        + (SizeClasses.SUPERBLOCK_ALIGNMENT >>> SIDE_LINK_SHIFT) * SIDE_LINK_BYTES;

    static {
        int largest = 0;
        int sideLinkedBlocks = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            largest = Math.max(largest, SizeClasses.superblockSize(c) >>> UNIT_SHIFT);
            if (sideLinked(c)) {
                sideLinkedBlocks = Math.max(sideLinkedBlocks, SizeClasses.blocksPerSuperblock(c));
            }
        }
        if (SizeClasses.COUNT + 1 > CLASS_MASK || largest > 1 << (Short.SIZE - CLASS_BITS)
            || sideLinkedBlocks > Short.MAX_VALUE) {
            throw new ExceptionInInitializerError("arena tables cannot hold " + SizeClasses.COUNT
                + " classes of superblocks up to " + largest + " units and " + sideLinkedBlocks + " linked blocks");
        }
    }

    private final OsMemory memory;
    /** The first unit's address. */
    private final long base;
    /** Units the arena spans: addresses {@code [base, base + units * 64 KiB)}. */
    private final int units;
    /** The class map: one 16-bit entry per unit. */
    private final long entries;
    /** The free stacks' successor links: one int per unit, used for the first unit of a free range. */
    private final long links;
    /** The side links of large-block superblocks: one 16-bit slot per 256 bytes of the superblock area. */
    private final long sideLinks;
    private final BoundedCounter carvedUnits = new BoundedCounter();
    private final DescriptorStack[] freeRanges;

    private SuperblockArena() {
        this.memory = null;
        this.base = 0;
        this.units = 0;
        this.entries = 0;
        this.links = 0;
        this.sideLinks = 0;
        this.freeRanges = new DescriptorStack[0];
    }

    private SuperblockArena(OsMemory memory, long reservation, long bytes) {
        this.memory = memory;
        long unitBytes = SizeClasses.SUPERBLOCK_ALIGNMENT;
        long units = bytes / (unitBytes + TABLE_BYTES_PER_UNIT);
        long tableBytes = (units * TABLE_BYTES_PER_UNIT + unitBytes - 1) & -unitBytes;
        this.units = (int) ((bytes - tableBytes) / unitBytes);
        this.entries = reservation;
        this.links = entries + (long) this.units * ENTRY_BYTES;
        this.sideLinks = links + (long) this.units * LINK_BYTES;
        this.base = reservation + tableBytes;
        StackLinks stackLinks = new StackLinks() {
            @Override
            public int next(int unit) {
                return RawMemory.getInt(links + (long) unit * LINK_BYTES);
            }

            @Override
            public void setNext(int unit, int next) {
                // A plain store: the push's head CAS that follows publishes it.
                RawMemory.putInt(links + (long) unit * LINK_BYTES, next);
            }
        };
        this.freeRanges = new DescriptorStack[SizeClasses.COUNT];
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            freeRanges[c] = new DescriptorStack(stackLinks);
        }
    }

    /**
     * Reserves an arena sized for a memory limit of {@code limit} bytes: {@link #RESERVATION_PER_LIMIT} times it,
     * within {@link #MIN_RESERVATION} and {@link #MAX_RESERVATION}.
     *
     * @return the arena, or {@link #NONE} when the kernel refuses the reservation
     */
    public static SuperblockArena reserve(OsMemory memory, long limit) {
        long wanted = limit > MAX_RESERVATION / RESERVATION_PER_LIMIT ? MAX_RESERVATION : limit * RESERVATION_PER_LIMIT;
        long bytes = Math.max(MIN_RESERVATION, wanted) & -SizeClasses.SUPERBLOCK_ALIGNMENT;
        long reservation = memory.reserve(bytes, SizeClasses.SUPERBLOCK_ALIGNMENT);
        return reservation == 0 ? NONE : new SuperblockArena(memory, reservation, bytes);
    }

    /**
     * Returns the size class of the block starting at {@code address}, or -1 when {@code address} is not the start
     * of a block of a live superblock of this arena (outside it, in a released range, inside a block or in a
     * superblock's unused tail). Any thread; no atomics.
     */
    public int blockClassOf(long address) {
        long unit = (address - base) >>> UNIT_SHIFT;
        if (unit >= units) {
            return -1;
        }
        int entry = RawMemory.getShort(entries + unit * ENTRY_BYTES);
        int sizeClass = (entry & CLASS_MASK) - 1;
        if (sizeClass < 0) {
            return -1;
        }
        long superblock = base + ((unit - (entry >>> CLASS_BITS)) << UNIT_SHIFT);
        return SizeClasses.startsBlock(sizeClass, address - superblock) ? sizeClass : -1;
    }

    /** Returns whether {@code address} lies in this arena's superblock area. */
    public boolean contains(long address) {
        return (address - base) >>> UNIT_SHIFT < units;
    }

    /**
     * Carves a range for a superblock of {@code sizeClass}: a released range of that class if there is one, else
     * fresh units. Its memory reads as zeros. Lock-free (a stack pop, or a CAS on the carved count).
     *
     * @return the range's address, or 0 when the arena has no room left
     */
    public long take(int sizeClass) {
        int unit = freeRanges.length == 0 ? StackHeadLayout.NONE : freeRanges[sizeClass].pop();
        if (unit == StackHeadLayout.NONE) {
            unit = carve(SizeClasses.superblockSize(sizeClass) >>> UNIT_SHIFT);
            if (unit < 0) {
                return 0;
            }
        }
        return base + ((long) unit << UNIT_SHIFT);
    }

    private int carve(int count) {
        return (int) carvedUnits.tryAdd(count, units);
    }

    /** Maps every unit of the superblock of {@code sizeClass} at {@code superblock} to its class. */
    public void mark(long superblock, int sizeClass) {
        writeEntries(superblock, sizeClass, sizeClass + 1);
    }

    /**
     * Releases the superblock of {@code sizeClass} at {@code superblock}, taken from this arena and no longer used:
     * clears its map entries, gives its pages to the kernel and keeps its range for the class's next superblock.
     */
    public void release(long superblock, int sizeClass) {
        writeEntries(superblock, sizeClass, 0);
        int superblockSize = SizeClasses.superblockSize(sizeClass);
        if (sideLinked(sizeClass)) {
            RawMemory.clear(sideLinkSlot(superblock), (long) (superblockSize >>> SIDE_LINK_SHIFT) * SIDE_LINK_BYTES);
        }
        memory.discard(superblock, superblockSize);
        freeRanges[sizeClass].push((int) ((superblock - base) >>> UNIT_SHIFT));
    }

    private void writeEntries(long superblock, int sizeClass, int classField) {
        long first = (superblock - base) >>> UNIT_SHIFT;
        int count = SizeClasses.superblockSize(sizeClass) >>> UNIT_SHIFT;
        for (int i = 0; i < count; i++) {
            short entry = (short) (classField == 0 ? 0 : classField | i << CLASS_BITS);
            RawMemory.putShort(entries + (first + i) * ENTRY_BYTES, entry);
        }
    }

    /** Returns whether superblocks of {@code sizeClass} carved from an arena keep their links in its side table. */
    public static boolean sideLinked(int sizeClass) {
        return SizeClasses.blockSize(sizeClass) >= SIDE_LINKED_BLOCK;
    }

    /** Reads the stored (relative) link of the free block at {@code block}, of a side-linked superblock. */
    public int readSideLink(long block) {
        return RawMemory.getShort(sideLinkSlot(block));
    }

    /** Writes the stored (relative) link of the block at {@code block}, of a side-linked superblock. */
    public void writeSideLink(long block, int storedLink) {
        assert storedLink == (short) storedLink : storedLink;
        RawMemory.putShort(sideLinkSlot(block), (short) storedLink);
    }

    private long sideLinkSlot(long block) {
        return sideLinks + ((block - base) >>> SIDE_LINK_SHIFT) * SIDE_LINK_BYTES;
    }

    /** Returns the units carved so far (released ranges included): the high-water mark of the arena's use. */
    public long carvedBytes() {
        return carvedUnits.get() << UNIT_SHIFT;
    }

    /** Returns the bytes of superblock address space this arena spans. */
    public long capacity() {
        return (long) units << UNIT_SHIFT;
    }
}
