package io.apfmalloc.core.internal.heap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * On-heap {@link StackLinks}: one {@code int} per node, read volatile and written with release semantics, as the
 * descriptors' own link field. The model checker sees these accesses, where it would not see off-heap ones.
 */
final class ArrayStackLinks implements StackLinks {
    private static final VarHandle NEXT = MethodHandles.arrayElementVarHandle(int[].class);

    private final int[] next;

    ArrayStackLinks(int nodes) {
        this.next = new int[nodes];
    }

    @Override
    public int next(int id) {
        return (int) NEXT.getVolatile(next, id);
    }

    @Override
    public void setNext(int id, int value) {
        NEXT.setRelease(next, id, value);
    }
}
