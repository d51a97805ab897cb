package io.apfmalloc.core.internal.superblock;

import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Describes one superblock (or one large allocation): where its memory is, its class, and its {@link AnchorLayout
 * anchor}. Descriptors are type-stable: retired descriptors are recycled through the heap's descriptor stack, never
 * dropped, so a thread holding a stale reference reads a live object (whose CAS then fails).
 *
 * <p>The plain fields are written by the one thread that set the superblock up, before the descriptor is published
 * (page map release store, partial-list CAS); readers see them through that publication.
 */
public final class Descriptor {
    /** {@link #sizeClass()} of a large allocation. */
    public static final int LARGE = -1;
    /** {@link #sizeClass()} of a retired descriptor. */
    public static final int RETIRED = -2;

    private static final VarHandle ANCHOR;
    private static final VarHandle NEXT_IN_STACK;
    private static final VarHandle ALLOCATED_BITS = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ANCHOR = lookup.findVarHandle(Descriptor.class, "anchor", long.class);
            NEXT_IN_STACK = lookup.findVarHandle(Descriptor.class, "nextInStack", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int id;
    private long anchor;
    private int nextInStack;

    private long base;
    private long mappingSize;
    private int sizeClass = RETIRED;
    private int blockSize;
    private int blockCount;
    /**
     * The heap's retention epoch when the superblock last became wholly free and was kept: written before the anchor
     * CAS that makes it so, read by whoever pops it from its partial list afterwards.
     */
    private int retainedEpoch;
    /** Checked mode only: one bit per block, set while the block is with a user. */
    private long[] allocatedBits;

    Descriptor(int id) {
        this.id = id;
    }

    /** Returns this descriptor's registry id, stable for its whole life. */
    public int id() {
        return id;
    }

    /** Sets up a fresh superblock of {@code blockCount} blocks of {@code blockSize} bytes at {@code base}. */
    public void initSuperblock(long base, int sizeClass, int blockSize, int blockCount, int mappingSize,
                               boolean checked) {
        this.base = base;
        this.mappingSize = mappingSize;
        this.sizeClass = sizeClass;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.allocatedBits = checked ? clearedBits(blockCount) : null;
    }

    /** Sets up a large allocation: one block at {@code address}, inside a mapping of {@code mappingSize} bytes. */
    public void initLarge(long address, long mappingSize) {
        this.base = address;
        this.mappingSize = mappingSize;
        this.sizeClass = LARGE;
        this.blockSize = 0;
        this.blockCount = 1;
        this.allocatedBits = null;
    }

    /** Returns the retention epoch stamped by {@link #spRetainedEpoch}. */
    public int lpRetainedEpoch() {
        return retainedEpoch;
    }

    /** Stamps the retention epoch, before the anchor CAS that leaves every block free. */
    public void spRetainedEpoch(int epoch) {
        this.retainedEpoch = epoch;
    }

    /** Marks the descriptor as retired, so that heap walks skip it. */
    public void markRetired() {
        sizeClass = RETIRED;
        allocatedBits = null;
    }

    private long[] clearedBits(int blocks) {
        int words = (blocks + Long.SIZE - 1) / Long.SIZE;
        long[] bits = allocatedBits;
        if (bits == null || bits.length < words) {
            return new long[words];
        }
        Arrays.fill(bits, 0L);
        return bits;
    }

    /** Returns the start of the superblock, or the user address of a large allocation. */
    public long base() {
        return base;
    }

    /** Returns the length of the memory this descriptor owns. */
    public long mappingSize() {
        return mappingSize;
    }

    /** Returns the size class, {@link #LARGE} or {@link #RETIRED}. */
    public int sizeClass() {
        return sizeClass;
    }

    /** Returns the block size (0 for a large allocation). */
    public int blockSize() {
        return blockSize;
    }

    /** Returns the number of blocks. */
    public int blockCount() {
        return blockCount;
    }

    /** Volatile read of the anchor. */
    public long lvAnchor() {
        return (long) ANCHOR.getVolatile(this);
    }

    /** Volatile write of the anchor; only while no other thread can see this descriptor. */
    public void svAnchor(long value) {
        ANCHOR.setVolatile(this, value);
    }

    /** CAS of the anchor: the linearization point of every fill and flush. */
    public boolean casAnchor(long expected, long value) {
        return ANCHOR.compareAndSet(this, expected, value);
    }

    /** Volatile read of the link used by the lock-free stacks this descriptor sits on. */
    public int lvNextInStack() {
        return (int) NEXT_IN_STACK.getVolatile(this);
    }

    /** Release write of the stack link, before the CAS that publishes it. */
    public void soNextInStack(int next) {
        NEXT_IN_STACK.setRelease(this, next);
    }

    /**
     * Returns whether {@code address}, inside this descriptor's unit, starts an allocation: a block of a superblock
     * (a multiply, no division), or the address of a large allocation. False for a retired descriptor.
     */
    public boolean startsAllocation(long address) {
        if (sizeClass == LARGE) {
            return address == base;
        }
        if (sizeClass < 0) {
            return false;
        }
        return SizeClasses.startsBlock(sizeClass, address - base);
    }

    /** Returns the index of the block of this superblock that holds {@code address}. */
    public int blockIndex(long address) {
        return SizeClasses.blockIndex(sizeClass, address - base);
    }

    /**
     * Checked mode: records that {@code block} goes to a user.
     *
     * @throws IllegalStateException if it was with a user already: the heap handed it out twice (corruption)
     */
    public void markHandedOut(long block) {
        if (!markAllocated(blockIndex(block))) {
            throw new IllegalStateException("corrupted heap: block 0x" + Long.toHexString(block)
                + " handed out twice");
        }
    }

    /**
     * Checked mode: records that {@code block} came back from its user.
     *
     * @throws IllegalStateException if it was not with a user: a double free
     */
    public void markReturned(long block) {
        if (!markFreed(blockIndex(block))) {
            throw new IllegalStateException("double free of 0x" + Long.toHexString(block));
        }
    }

    /**
     * Checked mode: checks that {@code block} is with a user before {@code operation} uses it.
     *
     * @throws IllegalStateException if it was freed
     */
    public void checkWithUser(long block, String operation) {
        int index = blockIndex(block);
        long word = (long) ALLOCATED_BITS.getVolatile(allocatedBits, index >>> 6);
        if ((word & (1L << index)) == 0) {
            throw new IllegalStateException(operation + " of freed block 0x" + Long.toHexString(block));
        }
    }

    /**
     * Checked mode: records that block {@code index} was handed to a user.
     *
     * @return false if it was already marked (the allocator handed one block out twice: corruption)
     */
    public boolean markAllocated(int index) {
        long bit = 1L << index;
        long old = (long) ALLOCATED_BITS.getAndBitwiseOr(allocatedBits, index >>> 6, bit);
        return (old & bit) == 0;
    }

    /**
     * Checked mode: records that block {@code index} came back from its user.
     *
     * @return false if it was not with a user: a double free
     */
    public boolean markFreed(int index) {
        long bit = 1L << index;
        long old = (long) ALLOCATED_BITS.getAndBitwiseAnd(allocatedBits, index >>> 6, ~bit);
        return (old & bit) != 0;
    }

    @Override
    public String toString() {
        return "Descriptor#" + id + "{class=" + sizeClass + ", base=0x" + Long.toHexString(base)
            + ", blocks=" + blockCount + ", anchor=" + AnchorLayout.toString(lvAnchor()) + "}";
    }
}
