package io.apfmalloc.core.internal.heap;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Descriptor recycling under Lincheck's model checker, on hand-written scenarios whose every interleaving (within
 * the invocation budget) is explored: a superblock goes EMPTY, its descriptor is retired and reused for a new
 * superblock while another thread still holds a stale view of it (a partial-list head it read, or the descriptor of
 * the blocks it is returning). Each scenario ends by returning every block and checking that every superblock was
 * unmapped exactly once and every descriptor is retired or about to be ({@link HeapWorkload#drainAndCheck}).
 *
 * <p>Thread ids are explicit: 0 sets up the state, 1 to 3 run in parallel. X, Y, Z name superblocks in the order
 * they are mapped; x0..x3 are X's blocks.
 */
@Tag("concurrency")
public class DescriptorRecyclingLincheckTest {
    private static final int THREADS = 3;
    private static final int SUPERBLOCKS = 16;
    private static final int INVOCATIONS = 3_000;

    private final HeapWorkload workload = new HeapWorkload(THREADS, SUPERBLOCKS, 0);

    /** See {@link HeapWorkload#fill}. */
    @Operation
    public void fill(int thread, int want) {
        workload.fill(thread, want);
    }

    /** See {@link HeapWorkload#flushAll}. */
    @Operation
    public void flushAll(int thread) {
        workload.flushAll(thread);
    }

    /** See {@link HeapWorkload#flushNewest}. */
    @Operation
    public void flushNewest(int thread) {
        workload.flushNewest(thread);
    }

    /** See {@link HeapWorkload#give}. */
    @Operation
    public void give(int thread) {
        workload.give(thread);
    }

    /** See {@link HeapWorkload#flushGiven}. */
    @Operation
    public void flushGiven() {
        workload.flushGiven();
    }

    /** See {@link HeapWorkload#hand}; set-up only. */
    @Operation
    public void hand(int from, int to) {
        workload.hand(from, to);
    }

    /** See {@link HeapWorkload#drainAndCheck}; post part only. */
    @Operation
    public void drainAndCheck() {
        workload.drainAndCheck();
    }

    /** The heap is consistent between the parts of a scenario. */
    @Validate
    public void heapIsConsistent() {
        workload.checkQuiescent();
    }

    /**
     * Stale views of a recycled descriptor. The list is [Y, X], each PARTIAL with one free block; thread 1 holds X's
     * other blocks, thread 2 Y's. Thread 1 fills twice, thread 2 returns Y's blocks and fills twice. Among the
     * interleavings: thread 1 reads head Y, next X, and stalls while thread 2 empties Y (PARTIAL to EMPTY, Y stays
     * listed), pops and retires Y, takes X's block (X FULL), then maps Z with Y's recycled descriptor and pushes it:
     * thread 1's CAS must fail, or the list would hold FULL X and lose Z. Or thread 2 stalls just after its EMPTY
     * CAS while thread 1 retires Y's descriptor and maps Z with it: thread 2 must still unmap Y, not Z.
     */
    @Test
    void staleHeadAfterRecycling() {
        check(scenario(
            List.of(call("fill", 1, 4), call("fill", 2, 4), call("flushNewest", 1), call("flushNewest", 2)),
            List.of(
                List.of(call("fill", 1, 1), call("fill", 1, 1)),
                List.of(call("flushAll", 2), call("fill", 2, 1), call("fill", 2, 1)))));
    }

    /**
     * FULL to EMPTY by threads that did not fill the superblock, racing a fill that recycles descriptors. X is
     * FULL, its blocks split between threads 1 and 2; Y was emptied in one flush, so its descriptor is retired.
     * Threads 1 and 2 return X's halves (FULL to PARTIAL and push, then PARTIAL to EMPTY, in either order) while
     * thread 3 fills (popping X PARTIAL, or X EMPTY and retiring it, or mapping Z with a recycled descriptor) and
     * returns what it got.
     */
    @Test
    void emptiedBySplitReturnsWhileRecycling() {
        check(scenario(
            List.of(call("fill", 1, 4), call("hand", 1, 2), call("hand", 1, 2), call("fill", 3, 4),
                call("flushAll", 3)),
            List.of(
                List.of(call("flushAll", 1)),
                List.of(call("flushAll", 2)),
                List.of(call("fill", 3, 1), call("flushAll", 3)))));
    }

    /**
     * Blocks freed by a thread that did not allocate them, while the superblock is refilled. X is FULL: x3 is in
     * the mailbox, x2 with thread 2, x0 and x1 with thread 1. Thread 1 returns x1 and refills; thread 2 returns the
     * mailbox block and x2; thread 3 fills and returns everything it holds.
     */
    @Test
    void crossThreadFreesWhileRefilling() {
        check(scenario(
            List.of(call("fill", 1, 4), call("give", 1), call("hand", 1, 2)),
            List.of(
                List.of(call("flushNewest", 1), call("fill", 1, 2)),
                List.of(call("flushGiven"), call("flushAll", 2)),
                List.of(call("fill", 3, 1), call("flushAll", 3)))));
    }

    private static void check(ExecutionScenario scenario) {
        HeapLincheckTest.withHeapGuarantees(new ModelCheckingOptions())
            .iterations(0)
            .invocationsPerIteration(INVOCATIONS)
            .addCustomScenario(scenario)
            .sequentialSpecification(NoFailures.class)
            .check(DescriptorRecyclingLincheckTest.class);
    }

    private static ExecutionScenario scenario(List<Actor> setUp, List<List<Actor>> parallel) {
        return new ExecutionScenario(setUp, parallel, List.of(call("drainAndCheck")), call("heapIsConsistent"));
    }

    private static Actor call(String operation, Object... arguments) {
        Method method = Arrays.stream(DescriptorRecyclingLincheckTest.class.getMethods())
            .filter(m -> m.getName().equals(operation))
            .findFirst()
            .orElseThrow();
        return new Actor(method, List.of(arguments), false, false, false, false, false);
    }

    /** The specification: every operation completes normally. */
    public static final class NoFailures {
        /** Nothing to set up. */
        public NoFailures() {
        }

        /** Completes. */
        public void fill(int thread, int want) {
        }

        /** Completes. */
        public void flushAll(int thread) {
        }

        /** Completes. */
        public void flushNewest(int thread) {
        }

        /** Completes. */
        public void give(int thread) {
        }

        /** Completes. */
        public void flushGiven() {
        }

        /** Completes. */
        public void hand(int from, int to) {
        }

        /** Completes. */
        public void drainAndCheck() {
        }
    }
}
