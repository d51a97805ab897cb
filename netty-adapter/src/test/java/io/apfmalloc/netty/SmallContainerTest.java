package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The Netty tests run in the small container the build promises (netty-adapter/pom.xml): a heap of at most
 * 512 MiB, two processors, and an allocator limit of 128 MiB for every allocator without a limit of its own. Without
 * this check, dropping a flag would silently turn the container back into a roomy machine.
 */
class SmallContainerTest {
    @Test
    void theTestsRunInTheSmallContainer() {
        assertTrue(Runtime.getRuntime().maxMemory() <= 512L << 20, () -> "heap: " + Runtime.getRuntime().maxMemory());
        assertEquals(2, Runtime.getRuntime().availableProcessors());
        assertEquals(128L << 20, ApfByteBufAllocator.DEFAULT.metric().directStats().memoryLimit());
        assertEquals(128L << 20, ApfByteBufAllocator.builder().build().metric().heapStats().memoryLimit());
    }
}
