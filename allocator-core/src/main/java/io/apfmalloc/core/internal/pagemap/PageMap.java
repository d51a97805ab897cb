package io.apfmalloc.core.internal.pagemap;

import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.superblock.Descriptor;
import io.apfmalloc.core.internal.superblock.DescriptorTable;

/**
 * Address to descriptor, for {@code free} and {@code realloc}: a two-level radix tree over 64 KiB units of a
 * 48-bit address space. Every unit of a superblock maps to its descriptor; a large allocation maps the unit of its
 * user address. Leaves (256 KiB, covering 4 GiB each) are installed by CAS and never removed ({@link DescriptorTable}).
 *
 * <p>Entries are written with release semantics before a block can reach another thread, and read with acquire
 * semantics, so a reader sees the descriptor's fields as its creator set them.
 */
public final class PageMap extends DescriptorTable {
    private static final int UNIT_SHIFT = Integer.numberOfTrailingZeros(SizeClasses.SUPERBLOCK_ALIGNMENT);
    private static final int ADDRESS_BITS = 48;
    private static final int LEAF_BITS = 16;
    private static final int ROOT_BITS = ADDRESS_BITS - UNIT_SHIFT - LEAF_BITS;
    private static final int LEAF_MASK = (1 << LEAF_BITS) - 1;

    /** Makes an empty map: no leaf installed. */
    public PageMap() {
        super(1 << ROOT_BITS, 1 << LEAF_BITS);
    }

    /** Returns whether {@code address} lies in the range the map covers (user space of a 48-bit machine). */
    public static boolean covers(long address) {
        return address > 0 && (address >>> ADDRESS_BITS) == 0;
    }

    /**
     * Returns the descriptor owning the unit of {@code address}, or {@code null}.
     * Any thread; lock-free (two acquire loads).
     */
    public Descriptor lookup(long address) {
        if (!covers(address)) {
            return null;
        }
        long unit = address >>> UNIT_SHIFT;
        return laEntry((int) (unit >>> LEAF_BITS), (int) unit & LEAF_MASK);
    }

    /** Maps every unit of {@code [start, start + length)} to {@code descriptor} (null to clear). */
    public void set(long start, long length, Descriptor descriptor) {
        assert covers(start) && covers(start + length - 1) : Long.toHexString(start);
        long first = start >>> UNIT_SHIFT;
        long last = (start + length - 1) >>> UNIT_SHIFT;
        for (long unit = first; unit <= last; unit++) {
            soEntry((int) (unit >>> LEAF_BITS), (int) unit & LEAF_MASK, descriptor);
        }
    }
}
