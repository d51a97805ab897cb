package io.apfmalloc.benchmarks.classic;

import io.apfmalloc.benchmarks.raw.NativeMemory;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Larson and Krishnan's server simulation ({@code larson}, as run by mimalloc-bench's {@code larsonN-sized}):
 * each thread owns {@value #SLOTS_PER_THREAD} slots (by default) holding blocks of {@value #MIN_SIZE} to
 * {@value #MAX_SIZE} bytes and repeatedly frees the block of a random slot and allocates one of a random size into
 * it. After {@value #ROUNDS} × its slot count of such replacements a thread starts a new thread, which inherits its
 * slots, and ends: like a server whose connections are served by short-lived threads. Every block is first
 * allocated by the main thread (a warm-up before timing, as in the original), and every block that outlives its
 * thread is freed by another one, so cross-thread frees and caches left by threads that ended are the rule.
 *
 * <p>One operation is one replacement (a free and a malloc); the original reports the same count, its allocations,
 * per second. The stop flag is polled after every operation, as the original polls its {@code stopflag}.
 */
final class Larson implements Workload {
    /** Slots per thread by default: the original's {@code chperthread} in mimalloc-bench's runs. */
    static final int SLOTS_PER_THREAD = 5000;
    /** Replacements per thread lifetime by default, in multiples of the slot count: the original's num_rounds. */
    static final int ROUNDS = 100;
    /** Smallest block size, inclusive. */
    static final int MIN_SIZE = 8;
    /** Largest block size, exclusive (the original draws {@code min + random % (max - min)}). */
    static final int MAX_SIZE = 1000;
    /** Random replacements of the warm-up, in multiples of all slots: the original's {@code 4 * num_chunks}. */
    static final int WARMUP_REPLACEMENTS = 4;
    /** The seed of mimalloc-bench's runs; each lane's generator is seeded from it. */
    private static final long SEED = 4141;

    private final int slotsPerThread;
    private final int rounds;

    /** Makes the workload as mimalloc-bench runs it: {@value #SLOTS_PER_THREAD} slots, {@value #ROUNDS} rounds. */
    Larson() {
        this(SLOTS_PER_THREAD, ROUNDS);
    }

    /** Makes the workload with {@code slotsPerThread} slots and a new thread every {@code rounds} × slots. */
    Larson(int slotsPerThread, int rounds) {
        this.slotsPerThread = slotsPerThread;
        this.rounds = rounds;
    }

    @Override
    public String name() {
        return "larson";
    }

    @Override
    public String operation() {
        return "one free of a random slot's block and one malloc of " + MIN_SIZE + "–" + (MAX_SIZE - 1) + " B into it, "
            + slotsPerThread + " slots per thread, a new thread every " + rounds * slotsPerThread
            + " operations";
    }

    @Override
    public Measurement run(ClassicAllocator allocator, int threads, long nanos) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(SEED);
        long[][] slots = new long[threads][];
        SplittableRandom[] lanes = new SplittableRandom[threads];
        try (ThreadAllocator heap = allocator.openThread()) {
            long[] all = warmUp(heap, random, threads * slotsPerThread);
            for (int lane = 0; lane < threads; lane++) {
                slots[lane] = Arrays.copyOfRange(all, lane * slotsPerThread, (lane + 1) * slotsPerThread);
                lanes[lane] = random.split();
            }
        }
        TimedRun run = new TimedRun(name(), threads);
        Measurement measurement = run.measureWithChurn(nanos, lane -> {
            long[] mine = slots[lane];
            SplittableRandom generator = lanes[lane];
            long operations = 0;
            try (ThreadAllocator heap = allocator.openThread()) {
                for (long i = 0; i < (long) rounds * slotsPerThread; i++) {
                    replace(heap, generator, mine);
                    operations++;
                    if (run.stopped()) {
                        break;
                    }
                }
            }
            return operations;
        });
        try (ThreadAllocator heap = allocator.openThread()) {
            for (long[] lane : slots) {
                for (long address : lane) {
                    heap.free(address);
                }
            }
        }
        return measurement;
    }

    /** The original's {@code warmup}: allocates every block, shuffles them, and replaces random ones for a while. */
    private static long[] warmUp(ThreadAllocator heap, SplittableRandom random, int count) {
        long[] blocks = new long[count];
        for (int i = 0; i < count; i++) {
            blocks[i] = NativeMemory.touch(heap.malloc(randomSize(random)));
        }
        for (int i = count; i > 1; i--) {
            int other = random.nextInt(i);
            long block = blocks[other];
            blocks[other] = blocks[i - 1];
            blocks[i - 1] = block;
        }
        for (int i = 0; i < WARMUP_REPLACEMENTS * count; i++) {
            replace(heap, random, blocks);
        }
        return blocks;
    }

    private static void replace(ThreadAllocator heap, SplittableRandom random, long[] slots) {
        int victim = random.nextInt(slots.length);
        heap.free(slots[victim]);
        slots[victim] = NativeMemory.touch(heap.malloc(randomSize(random)));
    }

    private static int randomSize(SplittableRandom random) {
        return MIN_SIZE + random.nextInt(MAX_SIZE - MIN_SIZE);
    }
}
