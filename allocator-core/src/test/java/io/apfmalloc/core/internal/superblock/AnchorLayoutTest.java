package io.apfmalloc.core.internal.superblock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AnchorLayoutTest {
    @Test
    void packsAndUnpacksEveryFieldIndependently() {
        int[] values = {0, 1, 2, 0x7FFF, 0xFFFE, 0xFFFF};
        for (int state = AnchorLayout.EMPTY; state <= AnchorLayout.FULL; state++) {
            for (int avail : values) {
                for (int count : values) {
                    long anchor = AnchorLayout.pack(state, avail, count);
                    assertEquals(state, AnchorLayout.state(anchor));
                    assertEquals(avail, AnchorLayout.avail(anchor));
                    assertEquals(count, AnchorLayout.count(anchor));
                }
            }
        }
    }

    @Test
    void printsReadably() {
        assertEquals("PARTIAL{avail=3, count=7}", AnchorLayout.toString(AnchorLayout.pack(AnchorLayout.PARTIAL, 3, 7)));
    }
}
