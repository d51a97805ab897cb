package io.apfmalloc.benchmarks.classic;

import io.apfmalloc.benchmarks.raw.NativeMemory;

/**
 * Hoard's false-sharing tests, {@code cache-thrash} and {@code cache-scratch}. Each of T threads repeatedly
 * allocates an object of {@value #OBJECT_SIZE} bytes, writes and reads each of its bytes {@value #REPETITIONS}
 * times, and frees it. An allocator whose blocks for different threads share a cache line makes those writes
 * bounce the line between cores, and the throughput collapses instead of growing with T.
 * <ul>
 *   <li>{@code cache-thrash} (active false sharing): the threads start with nothing; only the allocator's own
 *       placement of their first objects can put two threads on one line.</li>
 *   <li>{@code cache-scratch} (passive false sharing): before the timed run the main thread allocates T adjacent
 *       objects and hands one to each thread, which frees it first. An allocator that lets a thread reuse a block
 *       freed into its cache, whatever line it shares, gives every thread its neighbour's line back.</li>
 * </ul>
 * The writes and reads are opaque ({@link NativeMemory#setByteOpaque}): each one is performed, as the original's
 * accesses through a {@code volatile} are. Unlike the original, the repetitions are not divided by T: one
 * operation is one malloc, {@value #REPETITIONS} × {@value #OBJECT_SIZE} writes and reads, and one free, so the
 * ideal is T times the single-thread throughput up to the core count.
 */
final class FalseSharing implements Workload {
    /** Bytes per object: eight threads' objects fit one 64-byte line if the allocator packs them. */
    static final long OBJECT_SIZE = 8;
    /** Writes and reads of each byte per allocation. */
    static final int REPETITIONS = 1000;

    private final boolean passive;

    private FalseSharing(boolean passive) {
        this.passive = passive;
    }

    /** Returns {@code cache-thrash}. */
    static FalseSharing active() {
        return new FalseSharing(false);
    }

    /** Returns {@code cache-scratch}. */
    static FalseSharing passive() {
        return new FalseSharing(true);
    }

    @Override
    public String name() {
        return passive ? "cache-scratch" : "cache-thrash";
    }

    @Override
    public String operation() {
        return "one malloc of " + OBJECT_SIZE + " B, " + REPETITIONS + " opaque writes and reads of each byte, one free"
            + (passive ? "; each thread first frees an object the main thread allocated next to the others'" : "");
    }

    @Override
    public Measurement run(ClassicAllocator allocator, int threads, long nanos) throws InterruptedException {
        long[] handedOut = new long[threads];
        if (passive) {
            try (ThreadAllocator heap = allocator.openThread()) {
                for (int i = 0; i < threads; i++) {
                    handedOut[i] = NativeMemory.touch(heap.malloc(OBJECT_SIZE));
                }
            }
        }
        TimedRun run = new TimedRun(name(), threads);
        return run.measure(nanos, lane -> {
            long iterations = 0;
            long checksum = 0;
            try (ThreadAllocator heap = allocator.openThread()) {
                if (passive) {
                    heap.free(handedOut[lane]);
                }
                do {
                    long object = NativeMemory.touch(heap.malloc(OBJECT_SIZE));
                    for (int repetition = 0; repetition < REPETITIONS; repetition++) {
                        for (int k = 0; k < OBJECT_SIZE; k++) {
                            NativeMemory.setByteOpaque(object + k, (byte) k);
                            checksum += NativeMemory.getByteOpaque(object + k);
                        }
                    }
                    heap.free(object);
                    iterations++;
                } while (!run.stopped());
            }
            if (checksum != iterations * REPETITIONS * (OBJECT_SIZE * (OBJECT_SIZE - 1) / 2)) {
                throw new IllegalStateException("object bytes changed under the writer: checksum " + checksum);
            }
            return iterations;
        });
    }
}
