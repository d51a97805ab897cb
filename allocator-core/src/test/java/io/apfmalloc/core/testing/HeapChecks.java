package io.apfmalloc.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.AllocatorStats;
import io.apfmalloc.core.ApfAllocator;
import io.apfmalloc.core.HeapAudit;

/** Assertions on an allocator's bookkeeping, for the end of tests. Call only while no thread allocates or frees. */
public final class HeapChecks {
    private HeapChecks() {
    }

    /**
     * Asserts that the audit finds every block in exactly one place, with {@code live} the allocations the test
     * still holds, and that it counted each of them once.
     */
    public static HeapAudit assertConsistent(ApfAllocator allocator, long[] live) {
        HeapAudit audit = allocator.audit(live);
        assertTrue(audit.isConsistent(), () -> "heap audit found problems: " + audit);
        assertEquals(live.length, audit.liveBlocks() + audit.largeAllocations(),
            () -> "live small blocks + large allocations should be the " + live.length + " held: " + audit);
        return audit;
    }

    /**
     * Trims, then asserts that the allocator holds nothing: a consistent empty audit, no superblock, no mapped byte,
     * nothing cached. The test must have freed everything and joined every thread that used the allocator (live
     * threads' own caches are not trimmed). Keep the ended threads' {@link Thread} objects reachable until this
     * returns ({@link java.lang.ref.Reference#reachabilityFence}): once one is collected, the allocator's cleaner
     * flushes its cache on another thread, which may still be under way when trim() returns.
     */
    public static void trimAndAssertEmpty(ApfAllocator allocator) {
        allocator.trim();
        HeapAudit audit = assertConsistent(allocator, new long[0]);
        AllocatorStats stats = allocator.stats();
        assertEquals(0, audit.cachedBlocks(), () -> "blocks still cached after trim: " + audit);
        assertEquals(0, stats.liveSuperblocks(), () -> "superblocks still mapped after trim: " + stats);
        assertEquals(0, stats.mappedBytes(), () -> "bytes still mapped after trim: " + stats);
        assertEquals(0, stats.largeBytes(), () -> "large bytes still mapped after trim: " + stats);
        assertEquals(0, stats.cachedBytes(), () -> "bytes still cached after trim: " + stats);
    }
}
