package io.apfmalloc.core.internal.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StackHeadLayoutTest {
    @Test
    void packsIdAndTag() {
        assertEquals(StackHeadLayout.NONE, StackHeadLayout.id(StackHeadLayout.EMPTY));
        for (int id : new int[] {StackHeadLayout.NONE, 0, 1, 1 << 24, Integer.MAX_VALUE - 1}) {
            for (int tag : new int[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                long head = StackHeadLayout.pack(tag, id);
                assertEquals(id, StackHeadLayout.id(head));
                assertEquals(tag, StackHeadLayout.tag(head));
            }
        }
    }

    @Test
    void stackIsLifoAndNodesCanBeReused() {
        int[] next = new int[8];
        DescriptorStack stack = new DescriptorStack(new StackLinks() {
            @Override
            public int next(int id) {
                return next[id];
            }

            @Override
            public void setNext(int id, int successor) {
                next[id] = successor;
            }
        });
        assertEquals(StackHeadLayout.NONE, stack.pop());
        stack.push(3);
        stack.push(5);
        stack.push(0);
        assertEquals(0, stack.pop());
        assertEquals(5, stack.pop());
        stack.push(5);
        assertEquals(5, stack.pop());
        assertEquals(3, stack.pop());
        assertEquals(StackHeadLayout.NONE, stack.pop());
    }
}
