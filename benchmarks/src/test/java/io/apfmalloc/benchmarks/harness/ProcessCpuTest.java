package io.apfmalloc.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Parsing {@code /proc/<pid>/stat}, and this process's own CPU time growing with work. */
class ProcessCpuTest {
    @Test
    void userAndSystemTicksAreFields14And15CountedFromTheNamesEnd() {
        String stat = "4242 (java (echo) x) S 1 4242 4242 0 -1 4194560 9000 0 3 0 1234 567 0 0 20 0 40 0 100 "
            + "5000000000 30000 18446744073709551615";
        assertEquals(1234 + 567, ProcessCpu.parseStatTicks(stat));
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.parseStatTicks("4242 java S 1"));
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.parseStatTicks("4242 (java) S 1 2 3"));
    }

    /**
     * Spins until the process's CPU time, as read, has grown by at least 50 ms: a machine shared with other work
     * may take that much longer than 50 ms of wall time, so the spin is bounded by a generous deadline instead.
     */
    @Test
    void ownCpuTimeGrowsWhileThisThreadSpins() {
        long pid = ProcessHandle.current().pid();
        long before = ProcessCpu.cpuNanos(pid);
        long deadline = System.nanoTime() + 30_000_000_000L;
        long after = before;
        long spins = 0;
        while (after - before < 50_000_000L && System.nanoTime() < deadline) {
            for (int i = 0; i < 1_000_000; i++) {
                spins++;
            }
            after = ProcessCpu.cpuNanos(pid);
        }
        assertTrue(before >= 0 && after - before >= 50_000_000L,
            "spinning (" + spins + " spins) shows as CPU time: " + before + " -> " + after);
    }
}
