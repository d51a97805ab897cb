package io.apfmalloc.core.internal.superblock;

/**
 * Where the in-band free-list links live: the first four bytes of each free block. A seam, so the anchor protocol
 * runs over real off-heap memory in production and over a plain Java array in model-checked tests.
 *
 * <p>A link is stored <em>relative</em>: the stored value is {@code next - (index + 1)}. Fresh memory from the OS
 * is zero, so the untouched blocks of a new superblock already form the chain {@code i -> i + 1}: setting up a
 * superblock costs O(1) and touches none of its pages (lrmalloc's relative-offset trick).
 *
 * <p>A link is a native-order {@code int} in the block's first four bytes; nothing else of the block, and no other
 * block, is read or written. Accesses are plain: the anchor CAS that hands a free list from thread to thread orders
 * them.
 */
public interface LinkStore {
    /** Reads the stored (relative) link of the free block at {@code blockAddress}. */
    int readLink(long blockAddress);

    /** Writes the stored (relative) link of the block at {@code blockAddress}, which the caller owns. */
    void writeLink(long blockAddress, int storedLink);
}
