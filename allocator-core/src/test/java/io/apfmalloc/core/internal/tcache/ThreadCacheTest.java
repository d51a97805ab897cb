package io.apfmalloc.core.internal.tcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.internal.heap.Heap;
import io.apfmalloc.core.internal.os.MemoryLimit;
import io.apfmalloc.core.internal.os.OsMemory;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.superblock.OffHeapLinkStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThreadCacheTest {
    private Heap heap;

    @BeforeEach
    void newHeap() {
        heap = new Heap(OsMemory.INSTANCE, new MemoryLimit(1L << 30), OffHeapLinkStore.INSTANCE, false, 0);
    }

    @Test
    void binsStayWithinTheirBlockAndByteBounds() {
        long maxBinBytes = 64 << 10;
        ThreadCache cache = new ThreadCache(heap, new LrmallocPolicy(maxBinBytes), "test");
        for (int sizeClass : new int[] {0, 10, 30, SizeClasses.COUNT - 1}) {
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 3 * SizeClasses.blocksPerSuperblock(sizeClass) + 5; i++) {
                long block = cache.allocate(sizeClass);
                assertNotEquals(0, block);
                blocks.add(block);
            }
            for (long block : blocks) {
                cache.free(sizeClass, block);
                Bin bin = cache.binOrNull(sizeClass);
                assertTrue(bin.count() < bin.returnThreshold(), "count stays below the threshold");
                assertTrue(bin.count() <= bin.capacity());
                long budget = Math.max(maxBinBytes, 2L * SizeClasses.blockSize(sizeClass));
                assertTrue((long) bin.count() * SizeClasses.blockSize(sizeClass) <= budget, "byte budget");
            }
        }
    }

    @Test
    void pingPongAtTheBoundaryDoesNotRemapSuperblocks() {
        ThreadCache cache = new ThreadCache(heap, new LrmallocPolicy(1 << 20), "test");
        int sizeClass = SizeClasses.classOf(64);
        long first = cache.allocate(sizeClass);
        long mapped = heap.limit().reserved();
        for (int i = 0; i < 100_000; i++) {
            cache.free(sizeClass, cache.allocate(sizeClass));
        }
        assertEquals(mapped, heap.limit().reserved());
        assertEquals(1, heap.liveSuperblocks());
        cache.free(sizeClass, first);
        cache.flushAll();
        assertEquals(0, heap.liveSuperblocks());
        assertEquals(0, cache.cachedBytes());
    }

    @Test
    void stripesLockExclusively() {
        ThreadCache stripe = new ThreadCache(heap, new LrmallocPolicy(1 << 20), "test");
        assertTrue(stripe.tryLock());
        assertTrue(!stripe.tryLock());
        stripe.unlock();
        assertTrue(stripe.tryLock());
        stripe.unlock();
    }
}
