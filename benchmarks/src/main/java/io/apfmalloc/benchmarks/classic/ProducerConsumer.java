package io.apfmalloc.benchmarks.classic;

import io.apfmalloc.benchmarks.raw.NativeMemory;
import io.apfmalloc.benchmarks.raw.SpscRing;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A producer–consumer workload in the manner of Lever and Boreham's {@code xmalloc-test}: T producer threads only
 * allocate, T consumer threads only free. Each producer allocates blocks of {@value #MIN_SIZE} to
 * {@value #MIN_SIZE} + {@value #SIZE_RANGE} - 1 bytes (writing to each) and hands them through a bounded
 * single-producer, single-consumer ring ({@link SpscRing}, {@value #RING_CAPACITY} slots) to its consumer, which
 * frees them on its own thread. Every free is remote: an allocator with per-thread caches sees one thread's cache
 * fill with blocks it never allocates from while the other's keeps refilling from the shared heap, the pattern of a
 * pipeline or of buffers released by another thread than the one that read them.
 *
 * <p>One operation is one block handed off (allocated by a producer, freed by its consumer). A side that finds the
 * ring full or empty spins {@value #SPINS_BEFORE_YIELD} times, then yields its core (with more threads than cores,
 * pure spinning would burn the time slice the other side needs).
 */
final class ProducerConsumer implements Workload {
    /** Slots in each pair's ring: how far a producer may run ahead of its consumer. */
    static final int RING_CAPACITY = 1024;
    /** Smallest block size. */
    static final int MIN_SIZE = 8;
    /** Sizes drawn: {@code MIN_SIZE + random % SIZE_RANGE}. */
    static final int SIZE_RANGE = 512;
    /** Failed polls of the ring before a side yields its core. */
    private static final int SPINS_BEFORE_YIELD = 100;
    private static final long SEED = 42;

    @Override
    public String name() {
        return "prod-cons";
    }

    @Override
    public String operation() {
        return "one block of " + MIN_SIZE + "–" + (MIN_SIZE + SIZE_RANGE - 1) + " B allocated by a producer and freed"
            + " by its consumer (T producers + T consumers, a " + RING_CAPACITY + "-slot ring per pair)";
    }

    @Override
    public String threadsLabel(int threads) {
        return threads + "+" + threads;
    }

    @Override
    public Measurement run(ClassicAllocator allocator, int threads, long nanos) throws InterruptedException {
        Pair[] pairs = new Pair[threads];
        for (int i = 0; i < threads; i++) {
            pairs[i] = new Pair();
        }
        TimedRun run = new TimedRun(name(), 2 * threads);
        return run.measure(nanos, lane -> {
            try (ThreadAllocator heap = allocator.openThread()) {
                if (lane < threads) {
                    produce(run, heap, pairs[lane], new SplittableRandom(SEED + lane));
                    return 0;
                }
                return consume(heap, pairs[lane - threads]);
            }
        });
    }

    /** Allocates into the ring until the run stops, then tells the consumer it is done. */
    private static void produce(TimedRun run, ThreadAllocator heap, Pair pair, SplittableRandom random) {
        try {
            int attempt = 0;
            while (!run.stopped()) {
                int slot = pair.ring.claim();
                if (slot < 0) {
                    attempt = backOff(attempt);
                    continue;
                }
                attempt = 0;
                pair.blocks[slot] = NativeMemory.touch(heap.malloc(MIN_SIZE + random.nextInt(SIZE_RANGE)));
                pair.ring.publish();
            }
        } finally {
            pair.producerDone.setRelease(true);
        }
    }

    /** Frees what the ring brings until the producer is done and the ring is empty; returns the blocks freed. */
    private static long consume(ThreadAllocator heap, Pair pair) {
        long freed = 0;
        int attempt = 0;
        while (true) {
            int slot = pair.ring.next();
            if (slot >= 0) {
                long block = pair.blocks[slot];
                pair.ring.release();
                heap.free(block);
                freed++;
                attempt = 0;
            } else if (pair.producerDone.getAcquire() && pair.ring.next() < 0) {
                return freed;
            } else {
                attempt = backOff(attempt);
            }
        }
    }

    /** Spins, then yields; returns the next attempt number. */
    private static int backOff(int attempt) {
        if (attempt < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return attempt + 1;
    }

    /** One producer's ring, the blocks in its slots, and whether the producer has stopped. */
    private static final class Pair {
        final SpscRing ring = new SpscRing(RING_CAPACITY);
        final long[] blocks = new long[RING_CAPACITY];
        final AtomicBoolean producerDone = new AtomicBoolean();
    }
}
