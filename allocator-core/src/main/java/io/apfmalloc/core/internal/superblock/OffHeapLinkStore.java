package io.apfmalloc.core.internal.superblock;

import io.apfmalloc.core.internal.os.RawMemory;

/** Free-list links in the first four bytes of off-heap blocks. */
public final class OffHeapLinkStore implements LinkStore {
    /** The one instance; it has no state. */
    public static final OffHeapLinkStore INSTANCE = new OffHeapLinkStore();

    private OffHeapLinkStore() {
    }

    @Override
    public int readLink(long blockAddress) {
        return RawMemory.getInt(blockAddress);
    }

    @Override
    public void writeLink(long blockAddress, int storedLink) {
        RawMemory.putInt(blockAddress, storedLink);
    }
}
