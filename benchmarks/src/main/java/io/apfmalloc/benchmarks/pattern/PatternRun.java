package io.apfmalloc.benchmarks.pattern;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;

/**
 * One measured cell of one child JVM.
 *
 * @param mode      the child's JVM mode
 * @param allocator the child's allocator
 * @param repeat    which of the repeats, from 1
 * @param cell      what was replayed
 * @param result    what it measured
 */
public record PatternRun(JvmMode mode, ComparedAllocator allocator, int repeat, ReplayCell cell,
                         ReplayResult result) {
    /**
     * Returns {@code mode mix live×threads}, e.g. {@code default proxy 1024×2}, and the style unless it is this
     * benchmark's own ({@code default websocket 1024×2 netty-heap}): the runs' grouping for ratios.
     */
    public String configuration() {
        return mode.label() + " " + cell.mix().label() + " " + cell.liveBuffers() + "×" + cell.threads()
            + (cell.style() == ReplayStyle.PAGES ? "" : " " + cell.style().label());
    }
}
