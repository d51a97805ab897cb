package io.apfmalloc.core.internal.superblock;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link DescriptorTable}'s lazy install against a plain array, under Lincheck's model checker and
 * stress mode: a table of two leaves of two entries, so that threads writing entries of one leaf that is not installed
 * yet race to install it. A writer that installed its own leaf over another's, or wrote into a leaf that lost the CAS,
 * would lose the other's entry, which a later read then misses.
 */
@Tag("concurrency")
@Param(name = "index", gen = IntGen.class, conf = "0:3")
@Param(name = "descriptor", gen = IntGen.class, conf = "0:2")
public class DescriptorTableLincheckTest {
    private static final int LEAF_BITS = 1;
    private static final int ENTRIES = 4;
    /** Entry values by number: 0 clears, 1 and 2 are two descriptors (with those ids). */
    private static final Descriptor[] DESCRIPTORS = {null, new Descriptor(1), new Descriptor(2)};

    private final SmallTable table = new SmallTable();

    /** Stores descriptor number {@code descriptor} (0: none) at {@code index}. */
    @Operation
    public void set(@Param(name = "index") int index, @Param(name = "descriptor") int descriptor) {
        table.set(index, DESCRIPTORS[descriptor]);
    }

    /** Returns the id of the descriptor at {@code index}, or 0 if there is none. */
    @Operation
    public int get(@Param(name = "index") int index) {
        Descriptor descriptor = table.get(index);
        return descriptor == null ? 0 : descriptor.id();
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
            .iterations(30)
            .invocationsPerIteration(500)
            .threads(3)
            .actorsPerThread(2)
            .actorsBefore(1)
            .actorsAfter(2)
            .sequentialSpecification(SequentialTable.class)
            .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
            .iterations(20)
            .invocationsPerIteration(1_000)
            .threads(3)
            .actorsPerThread(3)
            .actorsBefore(1)
            .actorsAfter(2)
            .sequentialSpecification(SequentialTable.class)
            .check(getClass());
    }

    /** The table under test: two leaves of two entries, the key split as the page map and the registry split theirs. */
    static final class SmallTable extends DescriptorTable {
        SmallTable() {
            super(ENTRIES >>> LEAF_BITS, 1 << LEAF_BITS);
        }

        void set(int index, Descriptor descriptor) {
            soEntry(index >>> LEAF_BITS, index & ((1 << LEAF_BITS) - 1), descriptor);
        }

        Descriptor get(int index) {
            return laEntry(index >>> LEAF_BITS, index & ((1 << LEAF_BITS) - 1));
        }
    }

    /** The specification: the same operations over a plain array of ids. */
    public static final class SequentialTable {
        private final int[] ids = new int[ENTRIES];

        /** Starts empty, as the table under test does. */
        public SequentialTable() {
        }

        /** As {@link DescriptorTableLincheckTest#set}. */
        public void set(int index, int descriptor) {
            ids[index] = descriptor;
        }

        /** As {@link DescriptorTableLincheckTest#get}. */
        public int get(int index) {
            return ids[index];
        }
    }
}
