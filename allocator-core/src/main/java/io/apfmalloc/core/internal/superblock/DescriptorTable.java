package io.apfmalloc.core.internal.superblock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Descriptors by index in two levels: a root array of leaves, each leaf installed by CAS when an entry of it is first
 * written and never removed. The page map (64 KiB unit to descriptor) and the registry (id to descriptor) are such
 * tables. An owner extends this class rather than holding one, so that its reads stay two loads from the owner itself,
 * with no object in between, and it splits its key into a root index and a leaf index with its own constant shift.
 *
 * <p>Memory ordering (the accessor prefixes of the heap package): a leaf is installed with a CAS, which publishes its
 * zeroed contents, and read with an acquire load; an entry is written with a release store ({@code so}) and read with
 * an acquire load ({@code la}). A reader that finds an entry therefore sees the leaf fully formed and the descriptor's
 * plain fields as their writer set them before the store. The install's linearization point is its successful CAS. A
 * writer that loses the CAS drops its own leaf and writes into the winner's, so no entry is ever written into a leaf
 * that is not installed. No ABA: a root slot goes from {@code null} to a leaf once and never changes again.
 */
public abstract class DescriptorTable {
    private static final VarHandle LEAVES = MethodHandles.arrayElementVarHandle(Descriptor[][].class);
    private static final VarHandle ENTRIES = MethodHandles.arrayElementVarHandle(Descriptor[].class);

    private final Descriptor[][] leaves;
    private final int leafLength;

    /** Makes an empty table of {@code rootLength} leaves of {@code leafLength} entries; no leaf is installed yet. */
    protected DescriptorTable(int rootLength, int leafLength) {
        this.leaves = new Descriptor[rootLength][];
        this.leafLength = leafLength;
    }

    /**
     * Returns the entry at {@code leafIndex} of leaf {@code rootIndex}, or {@code null} if it was never written, was
     * cleared, or its leaf is not installed. Any thread; wait-free: two acquire loads.
     */
    protected final Descriptor laEntry(int rootIndex, int leafIndex) {
        Descriptor[] leaf = (Descriptor[]) LEAVES.getAcquire(leaves, rootIndex);
        return leaf == null ? null : (Descriptor) ENTRIES.getAcquire(leaf, leafIndex);
    }

    /**
     * Stores {@code descriptor} ({@code null} to clear) at {@code leafIndex} of leaf {@code rootIndex}, with release
     * semantics, installing the leaf first if need be. Any thread; lock-free: at most one CAS, on the first write to a
     * leaf. Writers of the same entry must be ordered by the owner's protocol; the last store wins.
     */
    protected final void soEntry(int rootIndex, int leafIndex, Descriptor descriptor) {
        ENTRIES.setRelease(installedLeaf(rootIndex), leafIndex, descriptor);
    }

    /** Returns leaf {@code rootIndex}, installing a fresh one unless another thread's CAS did first. */
    private Descriptor[] installedLeaf(int rootIndex) {
        Descriptor[] leaf = (Descriptor[]) LEAVES.getAcquire(leaves, rootIndex);
        if (leaf == null) {
            Descriptor[] fresh = new Descriptor[leafLength];
            Descriptor[] witness = (Descriptor[]) LEAVES.compareAndExchange(leaves, rootIndex, null, fresh);
            leaf = witness == null ? fresh : witness;
        }
        return leaf;
    }
}
