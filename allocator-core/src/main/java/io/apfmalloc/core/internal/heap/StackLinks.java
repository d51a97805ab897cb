package io.apfmalloc.core.internal.heap;

/**
 * Where a {@link DescriptorStack} keeps each node's successor: in the descriptors themselves in production, in a
 * plain array under the model checker.
 */
public interface StackLinks {
    /** Reads node {@code id}'s successor (may be stale if the node was popped meanwhile; the tag catches it). */
    int next(int id);

    /** Sets node {@code id}'s successor with release semantics; the caller owns the node. */
    void setNext(int id, int next);
}
