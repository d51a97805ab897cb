package io.apfmalloc.core.internal.superblock;

import io.apfmalloc.core.internal.os.ArrayMemorySource;
import io.apfmalloc.core.internal.os.MemorySource;
import java.lang.foreign.MemorySegment;

/**
 * {@link ArrayLinkStore}: the {@link LinkStore} contract in the {@code byte[]} superblocks of an
 * {@link ArrayMemorySource}.
 */
class ArrayLinkStoreTest extends LinkStoreContractTest {
    @Override
    MemorySource newMemory() {
        return new ArrayMemorySource();
    }

    @Override
    LinkStore newLinks(MemorySource memory) {
        return new ArrayLinkStore((ArrayMemorySource) memory);
    }

    @Override
    MemorySegment bytes(MemorySource memory, long address, long size) {
        ArrayMemorySource arrays = (ArrayMemorySource) memory;
        return MemorySegment.ofArray(arrays.array(address)).asSlice(ArrayMemorySource.offset(address), size);
    }
}
