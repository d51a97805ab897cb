package io.apfmalloc.core.internal.pagemap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.internal.heap.Heap;
import io.apfmalloc.core.internal.os.MemoryLimit;
import io.apfmalloc.core.internal.os.OsMemory;
import io.apfmalloc.core.internal.superblock.Descriptor;
import io.apfmalloc.core.internal.superblock.OffHeapLinkStore;
import org.junit.jupiter.api.Test;

class PageMapTest {
    private static Descriptor someDescriptor() {
        Heap heap = new Heap(OsMemory.INSTANCE, new MemoryLimit(1 << 24), OffHeapLinkStore.INSTANCE, false, 0);
        long address = heap.allocateLarge(4096, 4096);
        return heap.descriptorOf(address);
    }

    @Test
    void mapsEveryUnitOfARangeAndNothingAround() {
        PageMap map = new PageMap();
        Descriptor descriptor = someDescriptor();
        long start = 0x7f12_3456_0000L;
        map.set(start, 3 << 16, descriptor);
        assertNull(map.lookup(start - 1));
        assertSame(descriptor, map.lookup(start));
        assertSame(descriptor, map.lookup(start + (3 << 16) - 1));
        assertNull(map.lookup(start + (3 << 16)));
        map.set(start, 3 << 16, null);
        assertNull(map.lookup(start + 100));
    }

    @Test
    void rangesCrossingLeafBoundariesAndAddressesOutsideTheMap() {
        PageMap map = new PageMap();
        Descriptor descriptor = someDescriptor();
        long leafBoundary = 1L << 32;
        map.set(leafBoundary - (1 << 16), 2 << 16, descriptor);
        assertSame(descriptor, map.lookup(leafBoundary - 1));
        assertSame(descriptor, map.lookup(leafBoundary));
        assertNull(map.lookup(0));
        assertNull(map.lookup(-8));
        assertNull(map.lookup(1L << 48));
        assertTrue(PageMap.covers((1L << 48) - 1));
        assertFalse(PageMap.covers(1L << 48));
    }
}
