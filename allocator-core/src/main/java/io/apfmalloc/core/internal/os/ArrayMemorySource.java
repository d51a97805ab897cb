package io.apfmalloc.core.internal.os;

import java.util.Arrays;

/**
 * Memory on the Java heap: each mapping is a {@code byte[]} placed at a synthetic address, so the same heap, page map
 * and thread caches that manage off-heap memory manage pooled arrays. The synthetic address space starts at
 * {@link #BASE} and is cut into 4 MiB slots (the largest superblock); a mapping's address is its slot's start, and a
 * block's array and offset follow from its address with a shift and a mask.
 *
 * <p>Mappings larger than a slot are refused (0). Arrays come zeroed from the JVM, as the relative free-list links
 * require.
 */
public final class ArrayMemorySource implements MemorySource {
    /** The first synthetic address: far from 0, aligned to every superblock alignment, inside the page map's range. */
    public static final long BASE = 1L << 40;
    private static final int SLOT_SHIFT = 22;
    /** The largest mapping: one slot, 4 MiB. */
    public static final long SLOT_SIZE = 1L << SLOT_SHIFT;
    private static final int MAX_SLOTS = 1 << 18;

    private final byte[][] arrays = new byte[MAX_SLOTS][];
    /** Slots given back, for reuse. Guarded by {@code this}; mapping happens once per superblock, so a lock is fine. */
    private int[] freeSlots = new int[64];
    private int freeSlotCount;
    private int slotsUsed;

    @Override
    public long map(long size, long alignment) {
        if (size > SLOT_SIZE || alignment > SLOT_SIZE) {
            return 0;
        }
        byte[] array;
        try {
            array = new byte[(int) size];
        } catch (OutOfMemoryError e) {
            return 0;
        }
        int slot = takeSlot();
        if (slot < 0) {
            return 0;
        }
        arrays[slot] = array;
        return BASE + ((long) slot << SLOT_SHIFT);
    }

    @Override
    public void unmap(long address, long size) {
        int slot = slotOf(address);
        arrays[slot] = null;
        synchronized (this) {
            if (freeSlotCount == freeSlots.length) {
                freeSlots = Arrays.copyOf(freeSlots, 2 * freeSlotCount);
            }
            freeSlots[freeSlotCount++] = slot;
        }
    }

    private synchronized int takeSlot() {
        if (freeSlotCount > 0) {
            return freeSlots[--freeSlotCount];
        }
        return slotsUsed < MAX_SLOTS ? slotsUsed++ : -1;
    }

    private static int slotOf(long address) {
        return (int) ((address - BASE) >>> SLOT_SHIFT);
    }

    /**
     * Returns the array holding {@code address}. The caller must have learnt of the address through the heap's
     * publication (page map or partial list), which also publishes the array.
     */
    public byte[] array(long address) {
        return arrays[slotOf(address)];
    }

    /** Returns {@code address}'s offset in its {@linkplain #array array}. */
    public static int offset(long address) {
        return (int) (address & (SLOT_SIZE - 1));
    }
}
