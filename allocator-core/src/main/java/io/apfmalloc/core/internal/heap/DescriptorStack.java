package io.apfmalloc.core.internal.heap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.IntConsumer;

/** Keeps the hot head away from whatever the JVM lays out before it. */
abstract class DescriptorStackLeftPad {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16;
}

/** Holds the CAS'd head word. */
abstract class DescriptorStackHead extends DescriptorStackLeftPad {
    long head;
}

/** Keeps the head away from whatever the JVM lays out after it. */
abstract class DescriptorStackRightPad extends DescriptorStackHead {
    long p20, p21, p22, p23, p24, p25, p26, p27;
    long p30, p31, p32, p33, p34, p35, p36;
}

/**
 * A lock-free (Treiber) stack of descriptor ids: each size class's partial list, and the list of retired
 * descriptors waiting for reuse.
 *
 * <p>Nodes are reused, so the head carries an ABA tag ({@link StackHeadLayout}) bumped on every successful CAS; a
 * popper re-reads the tag on every retry. Nodes are type-stable descriptors, so reading a stale node's link is safe.
 */
public final class DescriptorStack extends DescriptorStackRightPad {
    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(DescriptorStackHead.class, "head", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final StackLinks links;

    /** Makes an empty stack whose node links live in {@code links}. */
    public DescriptorStack(StackLinks links) {
        this.links = links;
    }

    private long lvHead() {
        return (long) HEAD.getVolatile(this);
    }

    private boolean casHead(long expected, long value) {
        return HEAD.compareAndSet(this, expected, value);
    }

    /**
     * Pushes node {@code id}, which the caller owns and which is on no stack.
     * Linearizes at the successful head CAS; the tag bump keeps concurrent pops from ABA.
     */
    public void push(int id) {
        while (true) {
            long head = lvHead();
            links.setNext(id, StackHeadLayout.id(head));
            if (casHead(head, StackHeadLayout.pack(StackHeadLayout.tag(head) + 1, id))) {
                return;
            }
        }
    }

    /**
     * Pops the top node, or returns {@link StackHeadLayout#NONE} if the stack is empty.
     * Linearizes at the successful head CAS (or at the head read that saw the stack empty). The successor read may
     * be stale if the top was popped and pushed back meanwhile; the tag then differs and the CAS fails.
     */
    public int pop() {
        while (true) {
            long head = lvHead();
            int top = StackHeadLayout.id(head);
            if (top == StackHeadLayout.NONE) {
                return StackHeadLayout.NONE;
            }
            int next = links.next(top);
            if (casHead(head, StackHeadLayout.pack(StackHeadLayout.tag(head) + 1, next))) {
                return top;
            }
        }
    }

    /**
     * Passes each node id from top to bottom to {@code action}, stopping after {@code limit} nodes (a guard against
     * a corrupted cycle). Only while no thread pushes or pops: for heap audits.
     */
    public void forEachQuiescent(int limit, IntConsumer action) {
        int id = StackHeadLayout.id(lvHead());
        for (int seen = 0; id != StackHeadLayout.NONE && seen < limit; seen++) {
            action.accept(id);
            id = links.next(id);
        }
    }

    /** Returns whether the stack looked empty at the moment of the read. */
    public boolean isEmpty() {
        return StackHeadLayout.id(lvHead()) == StackHeadLayout.NONE;
    }
}
