package io.apfmalloc.benchmarks.harness;

import java.util.ArrayList;
import java.util.List;

/** The order in which a comparison runs its allocators, round after round. */
public final class Interleaving {
    private Interleaving() {
    }

    /**
     * Returns {@code items} starting at position {@code start} (modulo their count): each round starts with the next
     * one, so that none always runs first, when the machine and the load generator are least warm (with a fixed
     * order the echo benchmark's first allocator ran its first repeat up to 2.4 times slower than its second).
     */
    public static <T> List<T> rotated(List<T> items, int start) {
        int shift = start % items.size();
        List<T> order = new ArrayList<>(items.subList(shift, items.size()));
        order.addAll(items.subList(0, shift));
        return order;
    }

    /**
     * Returns the measured runs of a comparison in the order they run: item by item (message sizes, routes …), each
     * {@code repeats} times, every repeat over all {@code allocators}, {@linkplain #rotated rotated} one further
     * than the last (A B C D, B C D A, …: each repeat and item starts one further).
     */
    public static <I, A> List<Turn<I, A>> turns(List<I> items, int repeats, List<A> allocators) {
        List<Turn<I, A>> turns = new ArrayList<>(items.size() * repeats * allocators.size());
        for (int itemIndex = 0; itemIndex < items.size(); itemIndex++) {
            for (int repeat = 1; repeat <= repeats; repeat++) {
                for (A allocator : rotated(allocators, itemIndex + repeat - 1)) {
                    turns.add(new Turn<>(items.get(itemIndex), repeat, allocator));
                }
            }
        }
        return turns;
    }

    /**
     * One measured run of an interleaved comparison.
     *
     * @param item      what is measured (a message size, a route …)
     * @param repeat    which repeat, from 1
     * @param allocator whose run it is
     */
    public record Turn<I, A>(I item, int repeat, A allocator) {
    }
}
