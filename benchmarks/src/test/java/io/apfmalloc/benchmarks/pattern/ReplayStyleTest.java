package io.apfmalloc.benchmarks.pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The release orders: Netty's shape releases every slot once per round, in an order fixed by the seed. */
class ReplayStyleTest {
    @Test
    void permutationHoldsEverySlotOnceAndFollowsTheSeed() {
        int[] order = ReplayStyle.permutation(1000, new SplittableRandom(42));
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i], "every slot exactly once");
        }
        assertArrayEquals(order, ReplayStyle.permutation(1000, new SplittableRandom(42)), "the seed fixes it");
        assertFalse(Arrays.equals(order, ReplayStyle.permutation(1000, new SplittableRandom(43))));
        int unmoved = 0;
        for (int i = 0; i < order.length; i++) {
            unmoved += order[i] == i ? 1 : 0;
        }
        assertTrue(unmoved < 10, "shuffled, not the identity: " + unmoved + " fixed points");
    }

    @Test
    void nettyStylesReleaseEachSlotOncePerRoundRepeatingTheRound() {
        int live = 128;
        int[] slots = new int[4 * live];
        ReplayStyle.NETTY_HEAP.releaseOrder(slots, live, new SplittableRandom(1));
        int[] round = Arrays.copyOf(slots, live);
        for (int start = 0; start < slots.length; start += live) {
            assertArrayEquals(round, Arrays.copyOfRange(slots, start, start + live), "round at " + start);
        }
        int[] sorted = round.clone();
        Arrays.sort(sorted);
        assertEquals(0, sorted[0]);
        assertEquals(live - 1, sorted[live - 1]);
        assertEquals(live, Arrays.stream(sorted).distinct().count());
    }

    @Test
    void ownStyleDrawsSlotsIndependently() {
        int live = 128;
        int[] slots = new int[64 * live];
        ReplayStyle.PAGES.releaseOrder(slots, live, new SplittableRandom(1));
        assertTrue(Arrays.stream(slots).allMatch(slot -> slot >= 0 && slot < live));
        long distinctInFirstRound = Arrays.stream(slots, 0, live).distinct().count();
        assertTrue(distinctInFirstRound < live, "draws with replacement repeat slots within a round: "
            + distinctInFirstRound);
    }

    @ParameterizedTest
    @EnumSource(ReplayStyle.class)
    void labelsRoundTrip(ReplayStyle style) {
        assertEquals(style, ReplayStyle.of(style.label()));
    }
}
