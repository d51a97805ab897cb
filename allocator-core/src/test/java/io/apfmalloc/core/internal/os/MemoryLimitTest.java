package io.apfmalloc.core.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The memory limit every mapping is reserved against: up to the limit and no further, a refused reservation
 * reserving nothing, released bytes reservable again. Concurrent reservations are {@link BoundedCounterTest}'s, and
 * the allocator's under a limit {@code ConcurrentMemoryLimitTest}'s.
 */
class MemoryLimitTest {
    private static final long PAGE = OsMemory.PAGE_SIZE;

    @Test
    void reservesUpToTheLimitAndRefusesPastIt() {
        MemoryLimit limit = new MemoryLimit(10 * PAGE);
        assertEquals(10 * PAGE, limit.limit());
        assertEquals(0, limit.reserved());
        assertTrue(limit.tryReserve(6 * PAGE));
        assertTrue(limit.tryReserve(4 * PAGE), "up to the limit itself");
        assertFalse(limit.tryReserve(1));
        assertEquals(10 * PAGE, limit.reserved(), "a refused reservation reserves nothing");
        limit.release(4 * PAGE);
        assertEquals(6 * PAGE, limit.reserved());
        assertFalse(limit.tryReserve(5 * PAGE));
        assertTrue(limit.tryReserve(4 * PAGE), "released bytes can be reserved again");
        limit.release(10 * PAGE);
        assertEquals(0, limit.reserved());
        assertEquals(10 * PAGE, limit.limit(), "the limit itself never moves");
    }

    @Test
    void aLimitOfZeroRefusesEveryByte() {
        MemoryLimit limit = new MemoryLimit(0);
        assertFalse(limit.tryReserve(1));
        assertFalse(limit.tryReserve(PAGE));
        assertEquals(0, limit.reserved());
    }

    @Test
    void theLargestLimitStillRefusesAReservationThatWouldOverflow() {
        MemoryLimit limit = new MemoryLimit(Long.MAX_VALUE);
        assertTrue(limit.tryReserve(Long.MAX_VALUE - PAGE));
        assertFalse(limit.tryReserve(2 * PAGE), "the total would wrap past Long.MAX_VALUE");
        assertEquals(Long.MAX_VALUE - PAGE, limit.reserved());
        assertTrue(limit.tryReserve(PAGE), "up to Long.MAX_VALUE itself");
        assertEquals(Long.MAX_VALUE, limit.reserved());
    }
}
