package io.apfmalloc.examples;

import io.apfmalloc.core.AllocatorStats;
import io.apfmalloc.core.ApfAllocator;
import io.apfmalloc.core.BinStats;
import io.apfmalloc.core.ThreadCacheStats;
import io.apfmalloc.core.TuningPolicy;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * APF tuning made visible: a few allocation patterns, each on a fresh allocator, and what each thread cache's tuner
 * decided for them, read from {@link ApfAllocator#cacheStats()} ({@link BinStats}): how many trips to the shared
 * heap (fetches) it made and how many blocks each brought, the allocations per fetch (APF) it achieved against its
 * target {@code T}, how many blocks it gave back, and what it still holds.
 *
 * <p>APF aims for one fetch per {@code T} allocations and fetches only what the thread's own reuse says those
 * allocations need: a thread that allocates without freeing fetches big batches; a thread that frees and reallocates
 * the same few blocks fetches almost nothing and gives its surplus back; a thread that only frees (a consumer) keeps
 * a bounded bin. See {@code docs/APF.md}.
 *
 * <p>Run: {@code mvn -B -q -DskipTests -Pexample -Dexample=ApfTuningTour package} (about a second).
 */
public final class ApfTuningTour {
    /** The target allocations per fetch the tour's allocators aim for (the default, {@code apfmalloc.apf.target}). */
    static final long TARGET = 1000;
    private static final int BLOCK = 64;

    private ApfTuningTour() {
    }

    /**
     * Runs every pattern and prints the tuner's decisions.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the producer/consumer threads
     */
    public static void main(String[] args) throws InterruptedException {
        System.out.printf("APF target T = %d allocations per fetch, %d B blocks, a fresh allocator per pattern%n%n",
            TARGET, BLOCK);
        allocateOnly();
        pingPong();
        producerConsumer();
        burstsAgainstLrmalloc();
    }

    private static ApfAllocator allocator(TuningPolicy policy) {
        // No retention, so that "held" shows what the caches keep rather than superblocks kept for reuse.
        return ApfAllocator.builder().tuningPolicy(policy).apfTarget(TARGET).retainBytes(0).retainMillis(0).build();
    }

    /** Allocates 100,000 blocks and keeps them: no reuse, so each fetch brings about T blocks. */
    private static void allocateOnly() {
        ApfAllocator allocator = allocator(TuningPolicy.APF);
        long[] blocks = new long[100_000];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = allocator.malloc(BLOCK);
        }
        System.out.println("1. allocate-only: 100,000 blocks allocated, none freed yet");
        print(binOf(allocator, Thread.currentThread().getName()));
        System.out.println("   no reuse, so every fetch brings about T blocks and APF reaches about T");
        freeAll(allocator, blocks);
        System.out.println();
    }

    /** Frees and reallocates one block 100,000 times: the thread needs one block, and APF learns it. */
    private static void pingPong() {
        ApfAllocator allocator = allocator(TuningPolicy.APF);
        for (int i = 0; i < 100_000; i++) {
            allocator.free(allocator.malloc(BLOCK));
        }
        System.out.println("2. ping-pong: malloc and free of one block, 100,000 times");
        print(binOf(allocator, Thread.currentThread().getName()));
        System.out.println("   the first fetch knew nothing of reuse (a slow start of 16 blocks); sampling saw one"
            + " block reused, so the surplus went back and the bin stays small");
        System.out.println();
    }

    /** One thread allocates, another frees: the consumer's bin only grows, so the return rule must bound it. */
    private static void producerConsumer() throws InterruptedException {
        ApfAllocator allocator = allocator(TuningPolicy.APF);
        BlockingQueue<Long> handOff = new ArrayBlockingQueue<>(1024);
        int count = 100_000;
        BinStats[] seen = new BinStats[2];
        Thread producer = Thread.ofPlatform().name("tour-producer").start(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    handOff.put(allocator.malloc(BLOCK));
                }
            } catch (InterruptedException e) {
                return;
            }
            seen[0] = binOf(allocator, "tour-producer");
        });
        Thread consumer = Thread.ofPlatform().name("tour-consumer").start(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    allocator.free(handOff.take());
                }
            } catch (InterruptedException e) {
                return;
            }
            seen[1] = binOf(allocator, "tour-consumer");
        });
        producer.join();
        consumer.join();
        System.out.println("3. producer/consumer: one thread allocates 100,000 blocks, another frees them");
        System.out.print("   producer:");
        print(seen[0]);
        System.out.print("   consumer:");
        print(seen[1]);
        System.out.printf("   the consumer gave back what its bin could not keep: it holds at most 2d + 1 <= %d%n",
            2 * TARGET + 1);
        System.out.println();
    }

    /** Three bursts of 20,000 blocks, each freed: what the caches keep afterwards under APF and lrmalloc's rule. */
    private static void burstsAgainstLrmalloc() {
        System.out.println("4. three bursts of 20,000 blocks, each freed again: APF against lrmalloc's fixed rule");
        AllocatorStats apf = afterBursts(allocator(TuningPolicy.APF));
        AllocatorStats lrmalloc = afterBursts(allocator(TuningPolicy.LRMALLOC));
        System.out.printf(Locale.ROOT, "   APF:      cached %7d B, held from the OS %8d B%n", apf.cachedBytes(),
            apf.mappedBytes());
        System.out.printf(Locale.ROOT, "   lrmalloc: cached %7d B, held from the OS %8d B%n", lrmalloc.cachedBytes(),
            lrmalloc.mappedBytes());
        System.out.printf(Locale.ROOT, "   APF caches %.2fx and holds %.2fx what lrmalloc's rule does%n",
            apf.cachedBytes() / (double) lrmalloc.cachedBytes(), apf.mappedBytes() / (double) lrmalloc.mappedBytes());
    }

    private static AllocatorStats afterBursts(ApfAllocator allocator) {
        long[] blocks = new long[20_000];
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = allocator.malloc(BLOCK);
            }
            for (long block : blocks) {
                allocator.free(block);
            }
        }
        AllocatorStats stats = allocator.stats();
        allocator.flushThreadCache();
        allocator.trim();
        return stats;
    }

    /** Prints one bin: the tuner's fetches, their average size, the APF achieved, and what it gave back. */
    private static void print(BinStats bin) {
        String fetches = bin.fetches() == 0 ? "fetches 0"
            : String.format(Locale.ROOT, "fetches %d of %.0f blocks on average, APF %.1f", bin.fetches(),
                bin.blocksFetched() / (double) bin.fetches(), bin.allocationsPerFetch());
        System.out.printf(Locale.ROOT, "   %d B bin: allocations %,d, %s; returned %,d blocks (%,d B), holds %d,"
                + " returns at %d (hard bound %d)%n",
            bin.blockSize(), bin.allocations(), fetches, bin.blocksReturned(),
            bin.blocksReturned() * bin.blockSize(), bin.cachedBlocks(), bin.returnThreshold(), bin.capacity());
    }

    /** Returns the {@value #BLOCK} B bin of the cache owned by the thread named {@code owner}. */
    private static BinStats binOf(ApfAllocator allocator, String owner) {
        for (ThreadCacheStats cache : allocator.cacheStats()) {
            if (cache.owner().equals(owner)) {
                for (BinStats bin : cache.bins()) {
                    if (bin.blockSize() == BLOCK) {
                        return bin;
                    }
                }
            }
        }
        throw new IllegalStateException("no " + BLOCK + " B bin for " + owner);
    }

    private static void freeAll(ApfAllocator allocator, long[] blocks) {
        for (long block : blocks) {
            allocator.free(block);
        }
        allocator.flushThreadCache();
        allocator.trim();
    }
}
