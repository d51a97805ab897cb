package io.apfmalloc.netty;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the buffers alive and the bytes of their capacities, updated on allocation, resize and release from any
 * thread. An event loop counts in {@link Counts} of its own, plain single-writer fields (a {@link LongAdder}'s CAS
 * on every allocation and release cost a fifth of an allocate-release pair); other threads share adders. A read is
 * a moment's sum over both, read without stopping the writers.
 */
final class LiveBuffers {
    private final LongAdder sharedBytes = new LongAdder();
    private final LongAdder sharedBuffers = new LongAdder();
    /** The counts of the event loops running now; a loop's are folded into the shared adders when it ends. */
    private final Set<Counts> loops = ConcurrentHashMap.newKeySet();

    /** Counts a change on a thread without counts of its own. */
    void addShared(int buffers, long bytes) {
        if (buffers != 0) {
            sharedBuffers.add(buffers);
        }
        sharedBytes.add(bytes);
    }

    /** Starts summing an event loop's counts. */
    void register(Counts counts) {
        loops.add(counts);
    }

    /** Stops summing an ended loop's counts and keeps what they held (buffers it made that are still alive). */
    void unregister(Counts counts) {
        loops.remove(counts);
        addShared((int) counts.buffers(), counts.bytes());
    }

    long bytes() {
        long sum = sharedBytes.sum();
        for (Counts counts : loops) {
            sum += counts.bytes();
        }
        return sum;
    }

    long buffers() {
        long sum = sharedBuffers.sum();
        for (Counts counts : loops) {
            sum += counts.buffers();
        }
        return sum;
    }

    /**
     * One event loop's net share of the counts: buffers it allocated less those it released, and the same for
     * bytes (negative when it releases more than it makes). Only the owning thread writes, with opaque stores;
     * readers sum with opaque loads.
     */
    static class Counts {
        private static final VarHandle BYTES;
        private static final VarHandle BUFFERS;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                BYTES = lookup.findVarHandle(Counts.class, "bytes", long.class);
                BUFFERS = lookup.findVarHandle(Counts.class, "buffers", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private long bytes;
        private long buffers;

        /** Counts a change made by the owning thread. */
        final void add(int buffers, long bytes) {
            BUFFERS.setOpaque(this, (long) BUFFERS.get(this) + buffers);
            BYTES.setOpaque(this, (long) BYTES.get(this) + bytes);
        }

        final long bytes() {
            return (long) BYTES.getOpaque(this);
        }

        final long buffers() {
            return (long) BUFFERS.getOpaque(this);
        }
    }
}
