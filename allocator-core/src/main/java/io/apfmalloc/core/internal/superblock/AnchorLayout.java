package io.apfmalloc.core.internal.superblock;

/**
 * The bit layout of a superblock's anchor: the one 64-bit word, changed only by CAS, that says which of the
 * superblock's blocks are on its own free list.
 *
 * <pre>
 *   63                        34 33            18 17             2 1  0
 *  +----------------------------+----------------+----------------+----+
 *  |          unused (0)        |     count      |     avail      |state|
 *  +----------------------------+----------------+----------------+----+
 * </pre>
 *
 * <ul>
 *   <li>{@code state}: {@link #EMPTY}, {@link #PARTIAL} or {@link #FULL} (DESIGN §2.1).</li>
 *   <li>{@code avail}: index of the first block on the free list; meaningful only when {@code count > 0}.</li>
 *   <li>{@code count}: number of blocks on the free list.</li>
 * </ul>
 *
 * <p>No ABA tag is needed: a fill takes the whole list without reading a link before its CAS, and a flush pushes in
 * front (a Treiber push), so a word that returns to an old value still describes the list correctly.
 */
public final class AnchorLayout {
    /** Every block came back: the memory is released and the descriptor is about to be retired. */
    public static final int EMPTY = 0;
    /** Some blocks are on the free list; the descriptor is on (or being pushed onto) its class's partial list. */
    public static final int PARTIAL = 1;
    /** The free list is empty: every block is with a user or in a thread cache. In no list. */
    public static final int FULL = 2;

    private static final int STATE_BITS = 2;
    private static final int FIELD_BITS = 16;
    private static final long STATE_MASK = (1L << STATE_BITS) - 1;
    private static final long FIELD_MASK = (1L << FIELD_BITS) - 1;
    private static final int AVAIL_SHIFT = STATE_BITS;
    private static final int COUNT_SHIFT = STATE_BITS + FIELD_BITS;

    private AnchorLayout() {
    }

    /** Packs the three fields into an anchor word. */
    public static long pack(int state, int avail, int count) {
        assert state >= EMPTY && state <= FULL : state;
        assert avail >= 0 && avail <= FIELD_MASK : avail;
        assert count >= 0 && count <= FIELD_MASK : count;
        return state | ((long) avail << AVAIL_SHIFT) | ((long) count << COUNT_SHIFT);
    }

    /** Returns the anchor's state. */
    public static int state(long anchor) {
        return (int) (anchor & STATE_MASK);
    }

    /** Returns the index of the first block on the free list. */
    public static int avail(long anchor) {
        return (int) ((anchor >>> AVAIL_SHIFT) & FIELD_MASK);
    }

    /** Returns the number of blocks on the free list. */
    public static int count(long anchor) {
        return (int) ((anchor >>> COUNT_SHIFT) & FIELD_MASK);
    }

    /** Returns a readable form, for messages and tests. */
    public static String toString(long anchor) {
        String state = switch (state(anchor)) {
            case EMPTY -> "EMPTY";
            case PARTIAL -> "PARTIAL";
            case FULL -> "FULL";
            default -> "?" + state(anchor);
        };
        return state + "{avail=" + avail(anchor) + ", count=" + count(anchor) + "}";
    }
}
