package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApfThreadCacheTest {
    @Test
    void explicitCachesServeTheirThreadAndReturnEverythingOnClose() throws InterruptedException {
        ApfAllocator allocator = ApfAllocator.builder().maxThreadCaches(0).retainBytes(0).retainMillis(0).build();
        long[] handedOver = new long[10_000];
        Thread loop = Thread.ofPlatform().name("event-loop-1").start(() -> {
            try (ApfThreadCache cache = allocator.newThreadCache("event-loop-1")) {
                for (int i = 0; i < handedOver.length; i++) {
                    long block = cache.malloc(100 + i % 2000);
                    assertNotEquals(0, block);
                    cache.free(cache.malloc(64));
                    handedOver[i] = block;
                }
                assertTrue(allocator.cacheStats().stream().anyMatch(c -> c.owner().equals("event-loop-1")));
                assertEquals(1, allocator.stats().ownThreadCaches(), "only the bound cache, no thread-local one");
            }
        });
        loop.join();
        assertTrue(allocator.cacheStats().stream().noneMatch(c -> c.owner().equals("event-loop-1")));
        HeapAudit audit = allocator.audit(handedOver);
        assertTrue(audit.isConsistent(), audit.toString());
        assertEquals(0, audit.cachedBlocks(), "close() returned the cache's blocks");
        for (long block : handedOver) {
            allocator.free(block);
        }
        allocator.trim();
        assertEquals(0, allocator.stats().mappedBytes());
    }
}
