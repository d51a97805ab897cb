package io.apfmalloc.core.internal.heap;

import java.util.Arrays;

/**
 * Which stack nodes each test thread holds: a node popped by a thread is that thread's until it pushes it back, so a
 * node is never on the stack twice, as a descriptor is on at most one list. Each thread touches only its own row.
 *
 * <p>Rows follow Lincheck's thread ids: 0 for the initial part, {@code 1 .. threads} for the parallel threads,
 * {@code threads + 1} for the post part.
 */
final class NodeHands {
    private final int[][] held;
    private final int[] count;

    /** Deals nodes {@code 0 .. threads * perThread - 1} round-robin to the parallel threads. */
    NodeHands(int threads, int perThread, int nodes) {
        held = new int[threads + 2][nodes];
        count = new int[threads + 2];
        for (int id = 0; id < threads * perThread; id++) {
            give(1 + id % threads, id);
        }
    }

    /**
     * Takes a node out of {@code thread}'s hand: its oldest if {@code pick} is even, else its newest (the two choices
     * make both "pop A, pop B, push A" and "push B" patterns reachable).
     *
     * @return the node, or {@link StackHeadLayout#NONE} if the thread holds none
     */
    int take(int thread, int pick) {
        int n = count[thread];
        if (n == 0) {
            return StackHeadLayout.NONE;
        }
        int at = (pick & 1) == 0 ? 0 : n - 1;
        int[] row = held[thread];
        int id = row[at];
        System.arraycopy(row, at + 1, row, at, n - at - 1);
        count[thread] = n - 1;
        return id;
    }

    /** Puts {@code id} in {@code thread}'s hand. */
    void give(int thread, int id) {
        held[thread][count[thread]++] = id;
    }

    /** Returns every held node, in no particular order. */
    int[] all() {
        int total = Arrays.stream(count).sum();
        int[] all = new int[total];
        int at = 0;
        for (int t = 0; t < held.length; t++) {
            System.arraycopy(held[t], 0, all, at, count[t]);
            at += count[t];
        }
        return all;
    }
}
