package io.apfmalloc.core.internal.heap;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

import java.util.ArrayDeque;
import java.util.Arrays;
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
 * Linearizability of {@link DescriptorStack} against sequential stacks, under Lincheck's model checker and stress
 * mode. As in the heap, two stacks (think: a partial list and the retired stack) share one {@link StackLinks}, and
 * nodes come from a small pool and go back after being popped, so ABA is reachable in a few steps: a thread that
 * read {@code head -> A -> B} stalls while others pop {@code A}, pop {@code B} and push {@code A} back, or move
 * {@code A} to the other stack, overwriting its link. A node is pushed only by the thread holding it, never while it
 * is on a stack, as the heap uses descriptors.
 */
@Tag("concurrency")
@Param(name = "thread", gen = ThreadIdGen.class)
@Param(name = "pick", gen = IntGen.class, conf = "0:1")
@Param(name = "stack", gen = IntGen.class, conf = "0:1")
public class DescriptorStackLincheckTest {
    private static final int THREADS = 3;
    private static final int STACKS = 2;
    private static final int NODES_PER_THREAD = 2;
    private static final int NODES_PER_STACK = 1;
    private static final int NODES = THREADS * NODES_PER_THREAD + STACKS * NODES_PER_STACK;

    private final NodeHands hands = new NodeHands(THREADS, NODES_PER_THREAD, NODES);
    private final DescriptorStack[] stacks = new DescriptorStack[STACKS];

    /** Starts with the last nodes on the stacks and the others dealt to the threads. */
    public DescriptorStackLincheckTest() {
        StackLinks links = new ArrayStackLinks(NODES);
        for (int s = 0; s < STACKS; s++) {
            stacks[s] = new DescriptorStack(links);
        }
        for (int id = THREADS * NODES_PER_THREAD; id < NODES; id++) {
            stacks[id % STACKS].push(id);
        }
    }

    /** Pushes a node the thread holds; returns it, or {@code NONE} if the thread holds none. */
    @Operation
    public int push(@Param(name = "thread") int thread, @Param(name = "pick") int pick,
                    @Param(name = "stack") int stack) {
        int id = hands.take(thread, pick);
        if (id != StackHeadLayout.NONE) {
            stacks[stack].push(id);
        }
        return id;
    }

    /** Pops a node into the thread's hand; returns it, or {@code NONE}. */
    @Operation
    public int pop(@Param(name = "thread") int thread, @Param(name = "stack") int stack) {
        int id = stacks[stack].pop();
        if (id != StackHeadLayout.NONE) {
            hands.give(thread, id);
        }
        return id;
    }

    /** Whether a stack is empty. */
    @Operation
    public boolean isEmpty(@Param(name = "stack") int stack) {
        return stacks[stack].isEmpty();
    }

    /** Every node is in exactly one place: on one stack (once) or in one thread's hand. None lost, none twice. */
    @Validate
    public void everyNodeInOnePlace() {
        int[] seen = new int[NODES];
        for (DescriptorStack stack : stacks) {
            stack.forEachQuiescent(NODES + 1, id -> seen[id]++);
        }
        for (int id : hands.all()) {
            seen[id]++;
        }
        for (int id = 0; id < NODES; id++) {
            if (seen[id] != 1) {
                throw new AssertionError("node " + id + " found " + seen[id] + " times: " + Arrays.toString(seen));
            }
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
            .iterations(30)
            .invocationsPerIteration(1_000)
            .threads(THREADS)
            .actorsPerThread(3)
            .actorsBefore(2)
            .actorsAfter(2)
            .sequentialSpecification(SequentialStacks.class)
            .addGuarantee(forClasses(NodeHands.class.getName()).allMethods().ignore())
            .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
            .iterations(20)
            .invocationsPerIteration(2_000)
            .threads(THREADS)
            .actorsPerThread(4)
            .actorsBefore(2)
            .actorsAfter(2)
            .sequentialSpecification(SequentialStacks.class)
            .check(getClass());
    }

    /** The specification: the same operations over plain {@link ArrayDeque}s. */
    public static final class SequentialStacks {
        private final NodeHands hands = new NodeHands(THREADS, NODES_PER_THREAD, NODES);
        private final ArrayDeque<?>[] stacks = new ArrayDeque<?>[STACKS];

        /** Starts as the stacks under test do. */
        public SequentialStacks() {
            for (int s = 0; s < STACKS; s++) {
                stacks[s] = new ArrayDeque<Integer>();
            }
            for (int id = THREADS * NODES_PER_THREAD; id < NODES; id++) {
                stack(id % STACKS).push(id);
            }
        }

        /** As {@link DescriptorStackLincheckTest#push}. */
        public int push(int thread, int pick, int stack) {
            int id = hands.take(thread, pick);
            if (id != StackHeadLayout.NONE) {
                stack(stack).push(id);
            }
            return id;
        }

        /** As {@link DescriptorStackLincheckTest#pop}. */
        public int pop(int thread, int stack) {
            Integer id = stack(stack).poll();
            if (id == null) {
                return StackHeadLayout.NONE;
            }
            hands.give(thread, id);
            return id;
        }

        /** As {@link DescriptorStackLincheckTest#isEmpty}. */
        public boolean isEmpty(int stack) {
            return stack(stack).isEmpty();
        }

        @SuppressWarnings("unchecked")
        private ArrayDeque<Integer> stack(int index) {
            return (ArrayDeque<Integer>) stacks[index];
        }
    }
}
