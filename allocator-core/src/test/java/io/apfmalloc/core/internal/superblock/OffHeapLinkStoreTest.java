package io.apfmalloc.core.internal.superblock;

import io.apfmalloc.core.internal.os.MemorySource;
import io.apfmalloc.core.internal.os.OsMemory;
import io.apfmalloc.core.internal.os.RawMemory;
import java.lang.foreign.MemorySegment;

/** {@link OffHeapLinkStore}: the {@link LinkStore} contract in superblocks {@code mmap}'d from the OS. */
class OffHeapLinkStoreTest extends LinkStoreContractTest {
    @Override
    MemorySource newMemory() {
        return OsMemory.INSTANCE;
    }

    @Override
    LinkStore newLinks(MemorySource memory) {
        return OffHeapLinkStore.INSTANCE;
    }

    @Override
    MemorySegment bytes(MemorySource memory, long address, long size) {
        return RawMemory.EVERYTHING.asSlice(address, size);
    }
}
