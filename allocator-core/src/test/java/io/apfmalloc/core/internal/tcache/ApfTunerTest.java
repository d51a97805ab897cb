package io.apfmalloc.core.internal.tcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives one tuner by hand, as a bin would, with block "addresses" that are only identities. */
class ApfTunerTest {
    private static final long A1 = 8;
    private static final long A2 = 16;
    private static final long A3 = 24;
    /** The curve keeps its points as floats: about seven significant digits. */
    private static final double CURVE_TOLERANCE = 1e-6;

    private Bin bin;
    private ApfTuner tuner;

    @BeforeEach
    void newTuner() {
        ApfPolicy policy = new ApfPolicy(100, 6, 10, 1 << 20, 1 << 20);
        bin = new Bin(0, policy.binCapacity(0));
        tuner = new ApfTuner(policy);
        tuner.start(bin);
    }

    private void allocate(long block) {
        if (++bin.allocations >= bin.nextEvent) {
            tuner.onAllocationEvent(bin, block);
        }
    }

    private void free(long block) {
        if (bin.tracingFrees) {
            tuner.recordFree(block);
        }
    }

    /** A1 A2 F1 A1 F2 A2 F1 A3 A1: the DESIGN §3 trace, whose reuse(1..6) is 1/3, 1, 7/4, 7/3, 5/2, 3. */
    private void designTrace() {
        allocate(A1);
        allocate(A2);
        free(A1);
        allocate(A1);
        free(A2);
        allocate(A2);
        free(A1);
        allocate(A3);
        allocate(A1);
    }

    private void assertDesignDemand() {
        double[] reuse = {1.0 / 3, 1, 7.0 / 4, 7.0 / 3, 5.0 / 2, 3};
        for (int k = 1; k <= 6; k++) {
            assertEquals(k - reuse[k - 1], tuner.demand(k), CURVE_TOLERANCE, "demand(" + k + ")");
        }
    }

    @Test
    void demandBeforeAnySampleAssumesNoReuse() {
        assertEquals(50, tuner.demand(50));
    }

    @Test
    void aBurstYieldsTheDesignVector() {
        designTrace();
        assertFalse(tuner.isSampling(), "six allocations end a burst of six");
        assertDesignDemand();
        assertEquals((6 - 3.0) * 60 / 6, tuner.demand(60), CURVE_TOLERANCE, "past the burst: demand(n) * k / n");
    }

    @Test
    void eventsDuringHibernationAreIgnored() {
        designTrace();
        for (int i = 0; i < 9; i++) {
            allocate(A1);
            free(A1);
        }
        assertFalse(tuner.isSampling(), "hibernating for 10 allocations");
        assertDesignDemand();
        allocate(A2);
        assertTrue(tuner.isSampling(), "the next burst starts after the hibernation");
        for (int i = 0; i < 5; i++) {
            free(A2);
            allocate(A2);
        }
        assertFalse(tuner.isSampling());
        // The burst's first allocation takes a block not freed within the burst; the other five reuse: reuse(1) is
        // 5 windows of 6, and a window of all six allocations holds all five intervals.
        assertEquals(1.0 / 6, tuner.demand(1), CURVE_TOLERANCE, "a ping-pong burst");
        assertEquals(1, tuner.demand(6), CURVE_TOLERANCE, "the whole burst needs one block");
    }

    @Test
    void fetchesFollowTheSchedule() {
        assertEquals(100, tuner.allocationsToNextFetch(bin), "fetch 0 is due now, fetch 1 at T");
        assertEquals(ApfTuner.SLOW_START_BLOCKS, tuner.blocksToFetch(bin), "no reuse known yet: a slow start");
        bin.allocations = 40;
        assertEquals(160, tuner.allocationsToNextFetch(bin), "fetch 2 is due at 2T");
        bin.allocations = 500;
        assertEquals(100, tuner.allocationsToNextFetch(bin), "overdue: aim one T ahead");
    }
}
