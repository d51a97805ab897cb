package io.apfmalloc.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The resident set and its peak as Linux reports them, around 64 MiB touched and unmapped again. */
class ProcessMemoryTest {
    private static final long TOUCHED_BYTES = 64L << 20;
    private static final int PAGE = 4096;

    @Test
    void peakResidentSetFollowsTouchedMemoryAndStartsAgainWhenReset() {
        assumeTrue(ProcessMemory.residentSetBytes() > 0, "no /proc/self/status");
        long before;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(TOUCHED_BYTES, PAGE);
            for (long offset = 0; offset < TOUCHED_BYTES; offset += PAGE) {
                memory.set(ValueLayout.JAVA_BYTE, offset, (byte) 1);
            }
            before = ProcessMemory.residentSetBytes();
            assertTrue(ProcessMemory.peakResidentSetBytes() >= before, "peak below the resident set");
        }
        long peakWithTouched = ProcessMemory.peakResidentSetBytes();
        assumeTrue(ProcessMemory.resetPeakResidentSet(), "clear_refs not writable");

        long peakAfterReset = ProcessMemory.peakResidentSetBytes();

        assertTrue(peakAfterReset > 0 && peakAfterReset < peakWithTouched, "reset left the peak at " + peakAfterReset
            + " from " + peakWithTouched + " (resident with the touched memory: " + before + ")");
    }
}
