package io.apfmalloc.core.internal.os;

import java.lang.foreign.MemorySegment;

/** {@link OsMemory}: the {@link MemorySource} contract over real {@code mmap}'d memory. */
class OsMemoryTest extends MemorySourceContractTest {
    @Override
    MemorySource newSource() {
        return OsMemory.INSTANCE;
    }

    @Override
    MemorySegment bytes(MemorySource source, long address, long size) {
        return RawMemory.EVERYTHING.asSlice(address, size);
    }
}
