package io.apfmalloc.benchmarks.harness;

import java.util.Locale;

/**
 * The progress of a benchmark program for its progress lines: runs done out of the total, and the time left,
 * estimated from the planned seconds of what remains scaled by how the elapsed time compared with the plan so far.
 * Used by one thread.
 */
public final class Progress {
    /** The estimate trusts the measured pace within these bounds of the planned one. */
    private static final double MIN_PACE = 0.5;
    private static final double MAX_PACE = 3;

    private final long startNanos = System.nanoTime();
    private int runsTotal;
    private double plannedTotalSeconds;
    private double plannedDoneSeconds;
    private int runsDone;

    /**
     * Starts the clock.
     *
     * @param runsTotal the runs to count down
     * @param plannedTotalSeconds what the whole program should take by the plan
     */
    public Progress(int runsTotal, double plannedTotalSeconds) {
        this.runsTotal = runsTotal;
        this.plannedTotalSeconds = plannedTotalSeconds;
    }

    /** Records that planned work of {@code plannedSeconds} is done, without a run finishing. */
    public void advance(double plannedSeconds) {
        plannedDoneSeconds += plannedSeconds;
    }

    /** Records that a run of {@code plannedSeconds} is done. */
    public void runDone(double plannedSeconds) {
        runsDone++;
        advance(plannedSeconds);
    }

    /**
     * Takes {@code runs} planned runs, of {@code plannedSeconds} in all, out of the plan: they will not run (their
     * allocator failed, say).
     */
    public void dropRuns(int runs, double plannedSeconds) {
        runsTotal -= runs;
        plannedTotalSeconds -= plannedSeconds;
    }

    /** Returns the runs of the plan not yet done. */
    public int runsLeft() {
        return runsTotal - runsDone;
    }

    /** Returns {@code [run/total · time left]} for progress lines. */
    public String prefix() {
        double elapsed = elapsedSeconds();
        double pace = plannedDoneSeconds > 0 ? Math.clamp(elapsed / plannedDoneSeconds, MIN_PACE, MAX_PACE) : 1;
        double left = (plannedTotalSeconds - plannedDoneSeconds) * pace;
        int width = String.valueOf(runsTotal).length();
        return String.format(Locale.ROOT, "[%" + width + "d/%d · %s left]", runsDone, runsTotal, duration(left));
    }

    /** Returns the seconds since this was made. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Formats {@code seconds} as {@code 4m05s}. */
    public static String duration(double seconds) {
        long whole = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%dm%02ds", whole / 60, whole % 60);
    }
}
