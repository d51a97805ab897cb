package io.apfmalloc.core.internal.tcache;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link SparePool} hands each spare to one taker at a time, under Lincheck's model checker and stress mode. The pool
 * is best-effort by design (a take may make a new spare while one sits behind its scan, a gift may be dropped), so
 * the operations return nothing and there is no sequential order to match; what is checked is ownership: a take
 * never returns a spare someone holds or that sits in the pool, and at the end every spare ever made is held once,
 * in the pool once, or dropped by a gift that found no free slot.
 */
@Tag("concurrency")
@Param(name = "thread", gen = ThreadIdGen.class)
public class SparePoolLincheckTest {
    private static final int THREADS = 3;
    private static final int SLOTS = 2;

    /** Hands by Lincheck's thread ids: 0 for the initial part, 1 to 3 in parallel, 4 for the post part. */
    private final Spares spares = new Spares(THREADS + 2);
    private final SparePool<Integer> pool = new SparePool<>(SLOTS, spares);

    /** Takes a spare into the thread's hand; fails if someone else holds it. */
    @Operation
    public void take(@Param(name = "thread") int thread) {
        spares.hold(thread, pool.take());
    }

    /** Gives the spare the thread took last back, if it holds one. */
    @Operation
    public void give(@Param(name = "thread") int thread) {
        Integer spare = spares.release(thread);
        if (spare != null) {
            pool.give(spare);
        }
    }

    /** Empties the pool: none of what it gives back may be held, or be given twice. */
    @Validate
    public void everySpareOwnedOnce() {
        int made = spares.made();
        List<Integer> pooled = new ArrayList<>();
        for (Integer spare = pool.take(); spare < made; spare = pool.take()) {
            if (pooled.contains(spare) || spares.isHeld(spare)) {
                throw new AssertionError("spare " + spare + " twice: pool " + pooled + ", hands " + spares);
            }
            pooled.add(spare);
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
            .iterations(20)
            .invocationsPerIteration(500)
            .threads(THREADS)
            .actorsPerThread(3)
            .actorsBefore(2)
            .actorsAfter(2)
            .addGuarantee(forClasses(Spares.class.getName()).allMethods().ignore())
            .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
            .iterations(10)
            .invocationsPerIteration(1_000)
            .threads(THREADS)
            .actorsPerThread(4)
            .actorsBefore(2)
            .actorsAfter(2)
            .check(getClass());
    }

    /** Bookkeeping outside the pool, and its factory: numbered spares and who holds which. */
    static final class Spares implements Supplier<Integer> {
        private final List<List<Integer>> hands = new ArrayList<>();
        private final Map<Integer, Integer> holders = new HashMap<>();
        private int made;

        Spares(int threads) {
            for (int t = 0; t < threads; t++) {
                hands.add(new ArrayList<>());
            }
        }

        /** Makes a new spare: the next number. */
        @Override
        public synchronized Integer get() {
            return made++;
        }

        synchronized int made() {
            return made;
        }

        synchronized void hold(int thread, Integer spare) {
            Integer holder = holders.putIfAbsent(spare, thread);
            if (holder != null) {
                throw new AssertionError("spare " + spare + " taken by " + thread + " while " + holder + " holds it");
            }
            hands.get(thread).add(spare);
        }

        synchronized Integer release(int thread) {
            List<Integer> hand = hands.get(thread);
            if (hand.isEmpty()) {
                return null;
            }
            Integer spare = hand.removeLast();
            holders.remove(spare);
            return spare;
        }

        synchronized boolean isHeld(Integer spare) {
            return holders.containsKey(spare);
        }

        @Override
        public synchronized String toString() {
            return hands.toString();
        }
    }
}
