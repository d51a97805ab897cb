package io.apfmalloc.core.internal.heap;

import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Tag;

/**
 * {@link HeapLincheckTest}'s scenarios with a retention budget of one superblock, plus {@code trim()}'s release of
 * retained superblocks racing the fills and flushes: a flush that makes a superblock wholly free must either keep it
 * PARTIAL within the budget or release it, a fill that takes a retained superblock gives its budget back, and the
 * release pops, empties and pushes back partial lists while other threads use them.
 */
@Tag("concurrency")
public class HeapRetentionLincheckTest extends HeapLincheckTest {
    /** Scenarios with room to retain one wholly free superblock. */
    @Override
    int retainedSuperblocks() {
        return 1;
    }

    @Override
    Class<?> specification() {
        return NoFailuresWithRelease.class;
    }

    /** See {@link HeapWorkload#releaseRetained}. */
    @Operation
    public void releaseRetained() {
        workload.releaseRetained();
    }

    /** The specification: every operation completes normally. */
    public static final class NoFailuresWithRelease extends NoFailures {
        /** Nothing to set up. */
        public NoFailuresWithRelease() {
        }

        /** Completes. */
        public void releaseRetained() {
        }
    }
}
