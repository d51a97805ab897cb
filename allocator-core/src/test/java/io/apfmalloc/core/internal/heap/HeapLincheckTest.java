package io.apfmalloc.core.internal.heap;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

import io.apfmalloc.core.internal.os.MemorySource;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.superblock.AnchorLayout;
import io.apfmalloc.core.internal.superblock.LinkStore;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The anchor protocol ({@link Heap#fill} and {@link Heap#flush}) under Lincheck's model checker and stress mode, on
 * random scenarios of {@link HeapWorkload} operations: threads fill their bins, flush all or one block back, and
 * pass blocks to each other. Every operation returns nothing; the checks are {@link FakeSuperblockMemory}'s (no block
 * handed out twice, no superblock unmapped twice or with a block out, no link touched outside mapped memory), the
 * heap's own assertions, and {@link HeapInvariants} after each run. Any of them failing throws, which the
 * specification ({@link NoFailures}) never does.
 */
@Tag("concurrency")
@Param(name = "thread", gen = ThreadIdGen.class)
@Param(name = "want", gen = IntGen.class, conf = "1:4")
public class HeapLincheckTest {
    static final int THREADS = 3;
    /** Enough that the scenarios below never run out; running out would only make fills return 0. */
    static final int SUPERBLOCKS = 32;

    final HeapWorkload workload;

    /** Scenarios with no retention: every wholly free superblock is unmapped at once. */
    public HeapLincheckTest() {
        workload = new HeapWorkload(THREADS, SUPERBLOCKS, retainedSuperblocks());
    }

    /** How many wholly free superblocks the heap under test may keep mapped. */
    int retainedSuperblocks() {
        return 0;
    }

    /** The sequential specification this class's operations are checked against. */
    Class<?> specification() {
        return NoFailures.class;
    }

    /** See {@link HeapWorkload#fill}. */
    @Operation
    public void fill(@Param(name = "thread") int thread, @Param(name = "want") int want) {
        workload.fill(thread, want);
    }

    /** See {@link HeapWorkload#flushAll}. */
    @Operation
    public void flushAll(@Param(name = "thread") int thread) {
        workload.flushAll(thread);
    }

    /** See {@link HeapWorkload#flushNewest}. */
    @Operation
    public void flushNewest(@Param(name = "thread") int thread) {
        workload.flushNewest(thread);
    }

    /** See {@link HeapWorkload#give}. */
    @Operation
    public void give(@Param(name = "thread") int thread) {
        workload.give(thread);
    }

    /** See {@link HeapWorkload#flushGiven}. */
    @Operation
    public void flushGiven() {
        workload.flushGiven();
    }

    /** The heap is consistent between the parts of a scenario. */
    @Validate
    public void heapIsConsistent() {
        workload.checkQuiescent();
    }

    @Test
    void modelChecking() {
        withHeapGuarantees(new ModelCheckingOptions())
            .iterations(30)
            .invocationsPerIteration(500)
            .threads(THREADS)
            .actorsPerThread(3)
            .actorsBefore(3)
            .actorsAfter(2)
            .sequentialSpecification(specification())
            .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
            .iterations(30)
            .invocationsPerIteration(1_500)
            .threads(THREADS)
            .actorsPerThread(4)
            .actorsBefore(3)
            .actorsAfter(2)
            .sequentialSpecification(specification())
            .check(getClass());
    }

    /**
     * Tells the model checker to treat the fake memory and the test bookkeeping as single steps (they stand for
     * plain memory accesses and the OS), and to skip the pure size-class and bit-layout arithmetic, so that its
     * switch points fall only on the heap's own shared accesses.
     */
    static ModelCheckingOptions withHeapGuarantees(ModelCheckingOptions options) {
        return options
            .addGuarantee(forClasses(FakeSuperblockMemory.class.getName(), MemorySource.class.getName(),
                LinkStore.class.getName()).allMethods().treatAsAtomic())
            .addGuarantee(forClasses(HeapWorkload.Bins.class.getName(), HeapInvariants.class.getName(),
                SizeClasses.class.getName(), AnchorLayout.class.getName(), StackHeadLayout.class.getName())
                .allMethods().ignore());
    }

    /** The specification: every operation completes normally. */
    public static class NoFailures {
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
    }
}
