package io.apfmalloc.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Shrinks a failing sequence of commands to a small one that still fails, for model-based tests: delta debugging
 * (Zeller's ddmin) removes ever smaller chunks while the failure persists, then each remaining command is replaced by
 * simpler variants (a smaller size, say) where the failure persists with them. The result is 1-minimal: removing any
 * single command makes it pass.
 *
 * <p>The test must replay a sequence deterministically on a fresh system each time, and must accept any subsequence
 * (commands that refer to earlier results should do so by position among what exists, modulo its count, so that a
 * removed command never makes a later one invalid).
 *
 * @param <C> the command type
 */
public final class SequenceShrinker<C> {
    private final Predicate<List<C>> fails;
    private final Function<C, List<C>> simplerVariants;
    private final int maxRuns;
    private int runs;

    /**
     * Makes a shrinker.
     *
     * @param fails           replays a sequence on a fresh system; true if it still fails (any failure counts)
     * @param simplerVariants simpler versions of a command to try in its place, simplest first (may be empty)
     * @param maxRuns         the most replays to spend
     */
    public SequenceShrinker(Predicate<List<C>> fails, Function<C, List<C>> simplerVariants, int maxRuns) {
        this.fails = fails;
        this.simplerVariants = simplerVariants;
        this.maxRuns = maxRuns;
    }

    /**
     * Returns a sequence of at most {@code failing.size()} commands that still fails; {@code failing} must fail. The
     * two passes repeat while they change something: a simpler command may make another one unnecessary.
     */
    public List<C> shrink(List<C> failing) {
        runs = 0;
        List<C> current = List.copyOf(failing);
        while (true) {
            List<C> shrunk = simplifyEach(removeChunks(current));
            if (shrunk.equals(current) || runs >= maxRuns) {
                return shrunk;
            }
            current = shrunk;
        }
    }

    /** Returns how many replays the last {@link #shrink} spent. */
    public int runs() {
        return runs;
    }

    private List<C> removeChunks(List<C> sequence) {
        List<C> current = sequence;
        int chunks = 2;
        while (current.size() >= 2 && runs < maxRuns) {
            int chunkSize = (current.size() + chunks - 1) / chunks;
            boolean removed = false;
            for (int start = 0; start < current.size() && runs < maxRuns; start += chunkSize) {
                List<C> without = new ArrayList<>(current.subList(0, start));
                without.addAll(current.subList(Math.min(current.size(), start + chunkSize), current.size()));
                if (stillFails(without)) {
                    current = without;
                    chunks = Math.max(chunks - 1, 2);
                    removed = true;
                    break;
                }
            }
            if (!removed) {
                if (chunkSize == 1) {
                    break;
                }
                chunks = Math.min(2 * chunks, current.size());
            }
        }
        return current;
    }

    /** Replaces each command by its first simpler variant that still fails, again and again while one does. */
    private List<C> simplifyEach(List<C> sequence) {
        List<C> current = new ArrayList<>(sequence);
        for (int i = 0; i < current.size() && runs < maxRuns; i++) {
            boolean simplified = true;
            while (simplified && runs < maxRuns) {
                simplified = false;
                for (C variant : simplerVariants.apply(current.get(i))) {
                    List<C> candidate = new ArrayList<>(current);
                    candidate.set(i, variant);
                    if (stillFails(candidate)) {
                        current = candidate;
                        simplified = true;
                        break;
                    }
                }
            }
        }
        return List.copyOf(current);
    }

    private boolean stillFails(List<C> candidate) {
        runs++;
        return fails.test(candidate);
    }
}
