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
}
