package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operations Netty's pooled allocator offers: trimming the caller's cache, dumpStats, maxDirectMemory. */
class NettyOperationsTest {
    private static final String NETTY_LIMIT = "io.netty.maxDirectMemory";
    private static final String CORE_LIMIT = "apfmalloc.maxMemory";

    /** DEFAULT is built once, from the properties of the moment: before these tests change them. */
    @BeforeAll
    static void buildDefaultFirst() {
        assertTrue(ApfByteBufAllocator.DEFAULT.metric().directStats().memoryLimit() > 0);
    }

    @Test
    void trimCurrentThreadCacheSaysWhetherItGaveBlocksBack() throws InterruptedException {
        ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().build();
        assertFalse(allocator.trimCurrentThreadCache(), "a plain thread has no cache");

        List<Boolean> trims = new ArrayList<>();
        Thread loop = new FastThreadLocalThread(() -> {
            trims.add(allocator.trimCurrentThreadCache());   // no cache yet
            allocator.directBuffer(1000).release();          // its block now sits in the loop's cache
            allocator.heapBuffer(1000).release();
            trims.add(allocator.trimCurrentThreadCache());
            trims.add(allocator.trimCurrentThreadCache());   // nothing left to give back
        }, "apf-trim-loop");
        loop.start();
        loop.join();
        assertEquals(List.of(false, true, false), trims);
        allocator.trim();
        assertEquals(0, allocator.metric().usedDirectMemory(), "the loop's blocks went back to the shared heap");
    }

    @Test
    void dumpStatsShowsBothCoresTheirSizeClassesAndCaches() throws InterruptedException {
        ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().build();
        AtomicReference<String> dumped = new AtomicReference<>();
        Thread loop = new FastThreadLocalThread(() -> {
            allocator.directBuffer(1000).release();
            ByteBuf kept = allocator.directBuffer(1000);
            dumped.set(allocator.dumpStats());   // while the loop and its cache live
            kept.release();
        }, "apf-dump-loop");
        loop.start();
        loop.join();
        String dump = dumped.get();
        assertTrue(dump.startsWith("direct: usedMemory="), dump);
        assertTrue(dump.contains(" liveBytes=1000 liveBuffers=1 "), dump);
        assertTrue(dump.contains("\n  size class      1024 B: allocations=2 fetches=1 "), dump);
        assertTrue(dump.contains("\n  cache apf-dump-loop: cachedBytes="), dump);
        assertTrue(dump.contains("\n  cache shared-0: cachedBytes="), dump);
        assertTrue(dump.contains("\nheap: usedMemory=0 "), dump);
        assertTrue(dump.lines().count() > 4, dump);
    }

    @Test
    void nettysMaxDirectMemoryIsTheDirectCoresDefaultLimit() {
        String coreLimit = System.getProperty(CORE_LIMIT);
        try {
            System.clearProperty(CORE_LIMIT);
            long jvmLimit = ApfByteBufAllocator.builder().build().metric().directStats().memoryLimit();
            System.setProperty(NETTY_LIMIT, Long.toString(64L << 20));
            ApfByteBufAllocatorMetric limited = ApfByteBufAllocator.builder().build().metric();
            assertEquals(64L << 20, limited.directStats().memoryLimit());
            assertNotEquals(64L << 20, limited.heapStats().memoryLimit(), "heap buffers are not direct memory");
            assertEquals(32L << 20, ApfByteBufAllocator.builder().maxDirectMemory(32L << 20).build().metric()
                .directStats().memoryLimit(), "the builder's setting comes first");

            System.setProperty(CORE_LIMIT, Long.toString(16L << 20));
            assertEquals(16L << 20, ApfByteBufAllocator.builder().build().metric().directStats().memoryLimit(),
                "apfmalloc.maxMemory comes before Netty's property");
            System.clearProperty(CORE_LIMIT);

            System.setProperty(NETTY_LIMIT, "0");   // Netty's "the JVM's limit"
            assertEquals(jvmLimit, ApfByteBufAllocator.builder().build().metric().directStats().memoryLimit());

            System.setProperty(NETTY_LIMIT, "256m");
            IllegalArgumentException rejected = assertThrows(IllegalArgumentException.class,
                () -> ApfByteBufAllocator.builder().build());
            assertTrue(rejected.getMessage().startsWith("io.netty.maxDirectMemory: 256m (expected: a number"),
                rejected.getMessage());
        } finally {
            System.clearProperty(NETTY_LIMIT);
            if (coreLimit != null) {
                System.setProperty(CORE_LIMIT, coreLimit);
            }
        }
    }
}
