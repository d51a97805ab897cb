package io.apfmalloc.benchmarks.footprint;

import io.apfmalloc.benchmarks.harness.Worker;

/**
 * The child JVM of the footprint benchmark: one allocator, some event loops ({@link Worker}). It waits for a
 * {@code START …} line ({@link FootprintPlan}), so that its parent can start several at once, then prints a
 * {@code PHASE phase=<name> ms=<start>} line as each phase begins, {@code SAMPLE …} lines
 * ({@link FootprintSample}) as it goes, and {@code DONE}.
 */
public final class FootprintWorker {
    /** The answer after the last sample. */
    static final String DONE = "DONE";
    /** The tag of the line that says a phase began. */
    static final String PHASE = "PHASE";

    private FootprintWorker() {
    }

    /**
     * Runs the plans it is sent until {@code quit}.
     *
     * @param args the allocator ({@code apf}, {@code pooled}, {@code adaptive}, {@code unpooled}) and the number of
     *             event loops
     */
    public static void main(String[] args) throws Exception {
        Worker.serve("footprint", args, FootprintPlan.TAG, (kind, allocator, loops, line, answer) -> {
            FootprintTimeline.run(kind, allocator, loops, FootprintPlan.parse(line),
                sample -> answer.accept(sample.toLine()),
                (phase, millis) -> answer.accept(PHASE + " phase=" + phase.label() + " ms=" + millis));
            answer.accept(DONE);
        });
    }
}
