package io.apfmalloc.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The run count and time-left bookkeeping of progress lines. */
class ProgressTest {
    @Test
    void countsRunsDoneAndDroppedAgainstThePlan() {
        Progress progress = new Progress(10, 1000);
        progress.runDone(100);
        progress.runDone(100);
        assertEquals(8, progress.runsLeft());

        progress.dropRuns(4, 400);

        assertEquals(4, progress.runsLeft());
        assertTrue(progress.prefix().startsWith("[2/6 · "), progress.prefix());
    }

    @Test
    void formatsDurationsInMinutesAndSeconds() {
        assertEquals("4m05s", Progress.duration(245.2));
        assertEquals("0m00s", Progress.duration(-3));
    }
}
