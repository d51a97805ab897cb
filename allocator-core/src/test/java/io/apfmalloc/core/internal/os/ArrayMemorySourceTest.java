package io.apfmalloc.core.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * {@link ArrayMemorySource}: the {@link MemorySource} contract over {@code byte[]}s at synthetic addresses, and how
 * an address leads to its array and offset.
 */
class ArrayMemorySourceTest extends MemorySourceContractTest {
    @Override
    MemorySource newSource() {
        return new ArrayMemorySource();
    }

    @Override
    MemorySegment bytes(MemorySource source, long address, long size) {
        ArrayMemorySource arrays = (ArrayMemorySource) source;
        return MemorySegment.ofArray(arrays.array(address)).asSlice(ArrayMemorySource.offset(address), size);
    }

    @Test
    void refusesWhatDoesNotFitOneSlot() {
        assertEquals(0, source.map(ArrayMemorySource.SLOT_SIZE + PAGE, PAGE));
        assertEquals(0, source.map(PAGE, 2 * ArrayMemorySource.SLOT_SIZE));
    }

    @Test
    void everyAddressOfAMappingLeadsToItsArrayAndOffset() {
        ArrayMemorySource arrays = (ArrayMemorySource) source;
        long address = map(3 * PAGE, PAGE);
        byte[] array = arrays.array(address);
        assertEquals(3 * PAGE, array.length);
        assertEquals(0, ArrayMemorySource.offset(address));
        long last = address + 3 * PAGE - 1;
        assertSame(array, arrays.array(last));
        assertEquals(3 * PAGE - 1, ArrayMemorySource.offset(last));
    }
}
