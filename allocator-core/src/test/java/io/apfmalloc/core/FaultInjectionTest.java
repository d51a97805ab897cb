package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.testing.ControlledFaults;
import io.apfmalloc.core.testing.HeapChecks;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OS refusing memory (a {@link MemoryFaultInjector} standing in for {@code mmap} failing) at any point: every API
 * reports it as documented (0 from the raw API, {@link OutOfMemoryError} from the throwing ones), a refused realloc
 * leaves its block valid, no byte stays reserved for a mapping that failed, nothing leaks, and the allocator works
 * again as soon as memory is back.
 */
class FaultInjectionTest {
    private static final long MIB = 1L << 20;
    private static final long LIMIT = 512 * MIB;

    private static ApfAllocator allocator(MemoryKind kind, ControlledFaults faults) {
        return ApfAllocator.builder().memoryKind(kind).maxMemory(LIMIT).faultInjector(faults).build();
    }

    @ParameterizedTest
    @EnumSource(MemoryKind.class)
    void everyApiReportsARefusedMappingAsDocumented(MemoryKind kind) {
        ControlledFaults faults = new ControlledFaults(1);
        ApfAllocator allocator = allocator(kind, faults);
        long held = allocator.malloc(100);
        MemorySegment heldBytes = allocator.segment(held, 100);
        heldBytes.set(ValueLayout.JAVA_LONG_UNALIGNED, 92, 0x0123_4567_89AB_CDEFL);
        long mappedBefore = allocator.stats().mappedBytes();

        faults.startOutage();
        assertEquals(0, allocator.malloc(5_000), "a class with no superblock yet needs a mapping");
        assertEquals(0, allocator.malloc(3 * MIB), "a large allocation is a mapping of its own");
        assertEquals(0, allocator.mallocUntracked(40_000));
        assertEquals(0, allocator.alignedAlloc(4096, 4096));
        assertEquals(0, allocator.alignedAlloc(2 * MIB, 10));
        assertEquals(0, allocator.realloc(held, 700_000), "a refused realloc returns 0");
        assertEquals(0x0123_4567_89AB_CDEFL, heldBytes.get(ValueLayout.JAVA_LONG_UNALIGNED, 92),
            "and leaves the old block as it was");
        try (ApfThreadCache cache = allocator.newThreadCache("faults")) {
            assertEquals(0, cache.malloc(20_000));
        }
        if (kind == MemoryKind.OFF_HEAP) {
            OutOfMemoryError autoPtr = assertThrows(OutOfMemoryError.class,
                () -> AutoPtr.allocate(allocator, ValueLayout.JAVA_LONG.withByteAlignment(1 << 21)));
            assertTrue(autoPtr.getMessage().contains("allocated") && autoPtr.getMessage().contains("limit"),
                autoPtr::getMessage);
            assertThrows(OutOfMemoryError.class, () -> ApfSegmentAllocator.of(allocator).allocate(9_000));
        }
        assertEquals(mappedBefore, allocator.stats().mappedBytes(), "no byte stays reserved for a refused mapping");
        HeapChecks.assertConsistent(allocator, new long[] {held});

        faults.stop();
        long[] after = {allocator.malloc(5_000), allocator.malloc(3 * MIB), allocator.alignedAlloc(2 * MIB, 10),
            allocator.realloc(held, 700_000)};
        for (long address : after) {
            assertNotEquals(0, address, "memory is back: every allocation succeeds again");
        }
        assertEquals(0x0123_4567_89AB_CDEFL, allocator.segment(after[3], 100).get(ValueLayout.JAVA_LONG_UNALIGNED,
            92), "the realloc after the outage kept the contents");
        for (long address : after) {
            allocator.free(address);
        }
        assertTrue(faults.refused() >= 8, () -> "refused only " + faults.refused());
        HeapChecks.trimAndAssertEmpty(allocator);
    }
}
