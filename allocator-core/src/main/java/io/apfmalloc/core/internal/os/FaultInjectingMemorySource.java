package io.apfmalloc.core.internal.os;

import java.util.function.LongPredicate;

/**
 * A memory source that refuses the mappings a test asks it to refuse, and passes everything else to the real one:
 * the fault-injection seam. Only allocators built with a fault injector have one, so others pay nothing.
 */
public final class FaultInjectingMemorySource implements MemorySource {
    private final MemorySource source;
    private final LongPredicate refuse;

    /** Wraps {@code source}; a mapping of {@code size} bytes is refused when {@code refuse} says so. */
    public FaultInjectingMemorySource(MemorySource source, LongPredicate refuse) {
        this.source = source;
        this.refuse = refuse;
    }

    @Override
    public long map(long size, long alignment) {
        return refuse.test(size) ? 0 : source.map(size, alignment);
    }

    @Override
    public void unmap(long address, long size) {
        source.unmap(address, size);
    }
}
