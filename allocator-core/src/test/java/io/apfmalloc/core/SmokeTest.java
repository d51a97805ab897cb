package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void mallocFreeRoundTrip() {
        ApfAllocator allocator = ApfAllocator.builder().checked(true).build();
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            long p = allocator.malloc(i % 3000);
            assertNotEquals(0, p);
            live.add(p);
        }
        HeapAudit audit = allocator.audit(live.stream().mapToLong(Long::longValue).toArray());
        assertTrue(audit.isConsistent(), audit.toString());
        for (long p : live) {
            allocator.free(p);
        }
        allocator.trim();
        HeapAudit after = allocator.audit(new long[0]);
        assertTrue(after.isConsistent(), after.toString());
        assertEquals(0, allocator.stats().liveSuperblocks(), allocator.stats().toString());
    }

    @Test
    void usableSizeForPredictsTheBlockAnAllocationGets() {
        ApfAllocator allocator = ApfAllocator.builder().build();
        for (long size : new long[] {0, 1, 8, 9, 100, 4096, 5000, 65_536, 1 << 20, (1 << 20) + 1, 3_000_000}) {
            long address = allocator.malloc(size);
            assertEquals(allocator.usableSize(address), ApfAllocator.usableSizeFor(size), "size " + size);
            allocator.free(address);
        }
        assertEquals(4L << 20, ApfAllocator.builder().memoryKind(MemoryKind.HEAP).build().maxAllocationSize());
        assertTrue(allocator.maxAllocationSize() >= 1L << 40);
    }
}
