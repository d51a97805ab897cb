package io.apfmalloc.benchmarks.raw;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer, single-consumer ring of slot indices (Lamport's queue, with JCTools' cached limits).
 * The payload lives in the caller's own arrays of {@link #capacity()} elements (block addresses, or arenas), so one
 * ring serves every allocator: the producer fills the slot {@link #claim} gave it and {@link #publish}es it; the
 * consumer reads the slot {@link #next} gave it and {@link #release}s it.
 *
 * <p>Both indices and both sides' cached copies live in one {@code long[]}, the producer's and the consumer's 128
 * bytes apart (two cache lines, against the adjacent-line prefetcher) and away from the array's header. An index is
 * stored with release semantics only after its side is done with the slot, and loaded with acquire semantics by the
 * other side before it touches the slot: that is what publishes a payload written with plain stores.
 */
public final class SpscRing {
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Slots published so far; written by the producer only. */
    private static final int PRODUCER_INDEX = 16;
    /** The producer's plain bound: it may claim slots below this without reading the consumer's index. */
    private static final int PRODUCER_LIMIT = 17;
    /** Slots released so far; written by the consumer only. */
    private static final int CONSUMER_INDEX = 32;
    /** The consumer's plain copy of the producer's index, reloaded only when it runs out. */
    private static final int CONSUMER_SEEN = 33;
    private static final int WORD_COUNT = 48;

    private final long[] words = new long[WORD_COUNT];
    private final int mask;

    /**
     * Makes an empty ring.
     *
     * @param capacity a power of two, at least 2
     */
    public SpscRing(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: a power of two >= 2)");
        }
        this.mask = capacity - 1;
        words[PRODUCER_LIMIT] = capacity;
    }

    /** Returns how many slots the ring has: the size of the caller's payload arrays. */
    public int capacity() {
        return mask + 1;
    }

    /** Producer only: returns the slot to fill next, or -1 if the ring is full. Does not change the ring. */
    public int claim() {
        long index = lp(PRODUCER_INDEX);
        if (index >= lp(PRODUCER_LIMIT)) {
            long limit = la(CONSUMER_INDEX) + capacity();
            sp(PRODUCER_LIMIT, limit);
            if (index >= limit) {
                return -1;
            }
        }
        return (int) index & mask;
    }

    /** Producer only: hands the slot {@link #claim} returned to the consumer, with everything written to it. */
    public void publish() {
        so(PRODUCER_INDEX, lp(PRODUCER_INDEX) + 1);
    }

    /** Consumer only: returns the slot to read next, or -1 if the ring is empty. Does not change the ring. */
    public int next() {
        long index = lp(CONSUMER_INDEX);
        if (index >= lp(CONSUMER_SEEN)) {
            long published = la(PRODUCER_INDEX);
            sp(CONSUMER_SEEN, published);
            if (index >= published) {
                return -1;
            }
        }
        return (int) index & mask;
    }

    /** Consumer only: gives the slot {@link #next} returned back to the producer, done with. */
    public void release() {
        so(CONSUMER_INDEX, lp(CONSUMER_INDEX) + 1);
    }

    private long lp(int word) {
        return words[word];
    }

    private void sp(int word, long value) {
        words[word] = value;
    }

    private long la(int word) {
        return (long) WORDS.getAcquire(words, word);
    }

    private void so(int word, long value) {
        WORDS.setRelease(words, word, value);
    }
}
