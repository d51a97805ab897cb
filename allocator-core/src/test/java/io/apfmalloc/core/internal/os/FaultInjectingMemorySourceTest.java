package io.apfmalloc.core.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * {@link FaultInjectingMemorySource} in front of {@link OsMemory}, refusing one size that the contract never asks for:
 * the {@link MemorySource} contract holds through it, and it refuses exactly what its predicate says.
 */
class FaultInjectingMemorySourceTest extends MemorySourceContractTest {
    private static final long REFUSED = 5 * PAGE;

    /** Every size the predicate was asked about, by any thread. */
    private final ConcurrentLinkedQueue<Long> asked = new ConcurrentLinkedQueue<>();

    @Override
    MemorySource newSource() {
        return new FaultInjectingMemorySource(OsMemory.INSTANCE, size -> {
            asked.add(size);
            return size == REFUSED;
        });
    }

    @Override
    MemorySegment bytes(MemorySource source, long address, long size) {
        return RawMemory.EVERYTHING.asSlice(address, size);
    }

    @Test
    void refusesWhatThePredicateRefusesAndPassesTheRestOn() {
        assertEquals(0, source.map(REFUSED, PAGE));
        long granted = map(4 * PAGE, PAGE);
        assertAllBytes(bytes(source, granted, 4 * PAGE), (byte) 0, "granted mapping");
        assertEquals(List.of(REFUSED, 4 * PAGE), List.copyOf(asked), "the predicate sees each size asked for");
    }
}
