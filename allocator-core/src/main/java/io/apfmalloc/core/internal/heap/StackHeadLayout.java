package io.apfmalloc.core.internal.heap;

/**
 * The bit layout of a lock-free stack head: a node id and an ABA tag in one CAS-able {@code long}.
 *
 * <pre>
 *   63                              32 31                               0
 *  +----------------------------------+----------------------------------+
 *  |        tag (bumped on every CAS) |   id + 1  (0 means empty stack)  |
 *  +----------------------------------+----------------------------------+
 * </pre>
 *
 * <p>Nodes are recycled descriptors, so a popper that read {@code head -> A -> B} may find {@code A} on top again
 * with a different successor; the tag makes its CAS fail.
 */
public final class StackHeadLayout {
    /** The id stored for "no node". */
    public static final int NONE = -1;
    /** An empty stack with tag 0. */
    public static final long EMPTY = 0L;

    private StackHeadLayout() {
    }

    /** Packs a tag and a node id ({@link #NONE} for an empty stack). */
    public static long pack(int tag, int id) {
        return ((long) tag << 32) | ((id + 1) & 0xFFFF_FFFFL);
    }

    /** Returns the top node's id, or {@link #NONE}. */
    public static int id(long head) {
        return (int) head - 1;
    }

    /** Returns the ABA tag. */
    public static int tag(long head) {
        return (int) (head >>> 32);
    }
}
