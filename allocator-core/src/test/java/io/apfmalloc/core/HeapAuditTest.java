package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.testing.HeapChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The invariant checker counts what the program holds without being told, and finds real damage: a block freed
 * twice (unchecked mode lets it into a bin twice), a block the program dropped, a large allocation nobody lists.
 */
class HeapAuditTest {
    private static final long MIB = 1L << 20;

    private static ApfAllocator allocator() {
        return ApfAllocator.builder().maxMemory(256 * MIB).build();
    }

    @Test
    void countsTheAllocationsWithUsersWithoutBeingTold() {
        ApfAllocator allocator = allocator();
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            held.add(allocator.malloc(i % 4_000));
        }
        held.add(allocator.malloc(3 * MIB));
        for (int i = 0; i < held.size(); i += 3) {
            allocator.free(held.get(i));
            held.set(i, 0L);
        }
        long expected = held.stream().filter(address -> address != 0).count();

        HeapAudit audit = allocator.audit();
        assertTrue(audit.isConsistent(), audit::toString);
        assertEquals(expected, audit.allocationsWithUsers(), audit::toString);
        assertEquals(1, audit.largeAllocations(), audit::toString);
        assertEquals(allocator.stats().mappedBytes(), audit.mappedBytes(), audit::toString);
        assertTrue(audit.cachedBlocks() > 0 && audit.freeListBlocks() > 0, audit::toString);

        held.stream().filter(address -> address != 0).forEach(allocator::free);
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    @Test
    void findsABlockFreedTwice() {
        ApfAllocator allocator = allocator();
        long block = allocator.malloc(64);
        long neighbour = allocator.malloc(64);
        allocator.free(block);
        allocator.free(block);

        HeapAudit audit = allocator.audit(new long[] {neighbour});
        assertFalse(audit.isConsistent(), "a block twice in one bin must be reported: " + audit);
        assertTrue(audit.problems().stream().anyMatch(problem -> problem.contains("counted twice")),
            audit::toString);
    }

    @Test
    void findsABlockTheProgramLost() {
        ApfAllocator allocator = allocator();
        long kept = allocator.malloc(100);
        long dropped = allocator.malloc(100);

        HeapAudit audit = allocator.audit(new long[] {kept});
        assertFalse(audit.isConsistent(), audit::toString);
        assertTrue(audit.problems().stream().anyMatch(problem -> problem.contains("lost")), audit::toString);
        assertEquals(2, allocator.audit().allocationsWithUsers(), "without a list, both count as held");

        allocator.free(kept);
        allocator.free(dropped);
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    @Test
    void findsALargeAllocationNobodyListed() {
        ApfAllocator allocator = allocator();
        long large = allocator.malloc(2 * MIB);
        HeapAudit audit = allocator.audit(new long[0]);
        String problems = audit.problems().stream().collect(Collectors.joining("; "));
        assertTrue(problems.contains("not listed as live"), problems);
        allocator.free(large);
        HeapChecks.trimAndAssertEmpty(allocator);
    }
}
