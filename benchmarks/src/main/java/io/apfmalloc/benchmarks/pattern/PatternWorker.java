package io.apfmalloc.benchmarks.pattern;

import io.apfmalloc.benchmarks.harness.Worker;

/**
 * The child JVM of the allocation-pattern benchmark: one allocator, some event loops, and the cells its parent
 * sends, one after another ({@link Worker}). For each {@code CELL …} line ({@link ReplayCell}) it prints a
 * {@code PHASE <name>} line as each phase starts and a {@code RESULT …} line ({@link ReplayResult}).
 */
public final class PatternWorker {
    private PatternWorker() {
    }

    /**
     * Serves cells until {@code quit}.
     *
     * @param args the allocator ({@code apf}, {@code pooled}, {@code adaptive}, {@code unpooled}) and the number of
     *             event loops (the most threads a cell may ask for)
     */
    public static void main(String[] args) throws Exception {
        Worker.serve("pattern", args, ReplayCell.TAG, (kind, allocator, loops, line, answer) -> answer.accept(
            Replay.run(kind, allocator, loops, ReplayCell.parse(line), phase -> answer.accept("PHASE " + phase))
                .toLine()));
    }
}
