package io.apfmalloc.benchmarks.apf;

import static io.apfmalloc.benchmarks.harness.Statistics.median;

import io.apfmalloc.core.AllocatorStats;
import io.apfmalloc.core.ApfAllocator;
import io.apfmalloc.core.TuningPolicy;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Replays allocation patterns under APF tuning and under lrmalloc's policy, side by side in one JVM, and reports
 * ns per operation and the memory each allocator holds (mapped from the OS, and sitting in thread caches) at the
 * moment the pattern's live data is gone but its threads still run: the memory a policy keeps "just in case".
 *
 * <p>Each pattern runs on a fresh allocator per policy, policies interleaved (A B A B ...) for {@code -Drounds}
 * rounds (default 5) after one warm-up round; the table shows medians and the APF / lrmalloc ratios.
 *
 * <p>Run: {@code mvn -B -q -DskipTests -Papf-bench package}
 */
public final class ApfPatterns {
    private static final int ROUNDS = Integer.getInteger("rounds", 5);

    private ApfPatterns() {
    }

    /** One run's figures. */
    private record Result(double nanosPerOp, long mappedBytes, long cachedBytes) {
    }

    /** A pattern: runs against an allocator, returns ns per operation and leaves its stats to be read. */
    private interface Pattern {
        Result run(ApfAllocator allocator) throws Exception;
    }

    /** Runs the patterns and prints the table. */
    public static void main(String[] args) throws Exception {
        List<String> names = List.of("ping-pong 64 B", "bursts of 20k mixed, then idle", "producer/consumer",
            "phase changes 64 B -> 1 KiB -> 16 KiB", "steady churn, 8k live, 256 B..64 KiB");
        List<Pattern> patterns = List.of(ApfPatterns::pingPong, ApfPatterns::burstsThenIdle,
            ApfPatterns::producerConsumer, ApfPatterns::phaseChanges, ApfPatterns::steadyChurn);
        System.out.printf(Locale.ROOT, "%-40s %12s %12s %7s | %12s %12s %7s | %12s %12s%n", "pattern",
            "APF ns/op", "lrm ns/op", "ratio", "APF held", "lrm held", "ratio", "APF cached", "lrm cached");
        for (int p = 0; p < patterns.size(); p++) {
            List<Result> apf = new ArrayList<>();
            List<Result> lrmalloc = new ArrayList<>();
            for (int round = -1; round < ROUNDS; round++) {
                Result a = patterns.get(p).run(allocator(TuningPolicy.APF));
                Result l = patterns.get(p).run(allocator(TuningPolicy.LRMALLOC));
                if (round >= 0) {
                    apf.add(a);
                    lrmalloc.add(l);
                }
            }
            double apfNanos = median(apf.stream().mapToDouble(Result::nanosPerOp).toArray());
            double lrmNanos = median(lrmalloc.stream().mapToDouble(Result::nanosPerOp).toArray());
            double apfHeld = median(apf.stream().mapToDouble(Result::mappedBytes).toArray());
            double lrmHeld = median(lrmalloc.stream().mapToDouble(Result::mappedBytes).toArray());
            double apfCached = median(apf.stream().mapToDouble(Result::cachedBytes).toArray());
            double lrmCached = median(lrmalloc.stream().mapToDouble(Result::cachedBytes).toArray());
            System.out.printf(Locale.ROOT, "%-40s %12.1f %12.1f %7.2f | %12s %12s %7.2f | %12s %12s%n",
                names.get(p), apfNanos, lrmNanos, apfNanos / lrmNanos, kib(apfHeld), kib(lrmHeld),
                apfHeld / lrmHeld, kib(apfCached), kib(lrmCached));
        }
    }

    private static ApfAllocator allocator(TuningPolicy policy) {
        // No decay delay: wholly free superblocks past the retention budget go back at once, so that "held" shows
        // what each policy keeps, not what the heap keeps for a second after a burst (the same for both).
        return ApfAllocator.builder().tuningPolicy(policy).maxMemory(4L << 30).retainMillis(0).build();
    }

    private static Result snapshot(ApfAllocator allocator, long nanos, long operations) {
        AllocatorStats stats = allocator.stats();
        return new Result((double) nanos / operations, stats.mappedBytes(), stats.cachedBytes());
    }

    private static Result pingPong(ApfAllocator allocator) {
        int pairs = 5_000_000;
        long start = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            allocator.free(touch(allocator.malloc(64)));
        }
        return snapshot(allocator, System.nanoTime() - start, 2L * pairs);
    }

    private static Result burstsThenIdle(ApfAllocator allocator) {
        SplittableRandom random = new SplittableRandom(1);
        long[] blocks = new long[20_000];
        long start = System.nanoTime();
        for (int burst = 0; burst < 20; burst++) {
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = touch(allocator.malloc(mixedSize(random)));
            }
            for (long block : blocks) {
                allocator.free(block);
            }
        }
        return snapshot(allocator, System.nanoTime() - start, 2L * 20 * blocks.length);
    }

    private static Result producerConsumer(ApfAllocator allocator) throws Exception {
        int transfers = 2_000_000;
        int ringSize = 4096;
        AtomicLongArray ring = new AtomicLongArray(ringSize);
        CyclicBarrier done = new CyclicBarrier(3);
        CyclicBarrier measured = new CyclicBarrier(3);
        long[] nanos = new long[1];
        Thread producer = Thread.ofPlatform().start(() -> {
            SplittableRandom random = new SplittableRandom(2);
            long start = System.nanoTime();
            for (int i = 0; i < transfers; i++) {
                long block = touch(allocator.malloc(64 + random.nextInt(960)));
                int slot = i & (ringSize - 1);
                while (ring.get(slot) != 0) {
                    Thread.onSpinWait();
                }
                ring.set(slot, block);
            }
            nanos[0] = System.nanoTime() - start;
            await(done);
            await(measured);
        });
        Thread consumer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < transfers; i++) {
                int slot = i & (ringSize - 1);
                long block;
                while ((block = ring.get(slot)) == 0) {
                    Thread.onSpinWait();
                }
                ring.set(slot, 0);
                allocator.free(block);
            }
            await(done);
            await(measured);
        });
        await(done);
        Result result = snapshot(allocator, nanos[0], 2L * transfers);
        await(measured);
        producer.join();
        consumer.join();
        return result;
    }

    private static Result phaseChanges(ApfAllocator allocator) {
        SplittableRandom random = new SplittableRandom(3);
        long[] live = new long[5_000];
        long operations = 0;
        long start = System.nanoTime();
        for (int size : new int[] {64, 1024, 16384}) {
            for (int i = 0; i < live.length; i++) {
                live[i] = touch(allocator.malloc(size));
            }
            for (int i = 0; i < 200_000; i++) {
                int victim = random.nextInt(live.length);
                allocator.free(live[victim]);
                live[victim] = touch(allocator.malloc(size));
            }
            for (long block : live) {
                allocator.free(block);
            }
            operations += 2L * (live.length + 200_000);
        }
        return snapshot(allocator, System.nanoTime() - start, operations);
    }

    private static Result steadyChurn(ApfAllocator allocator) {
        SplittableRandom random = new SplittableRandom(4);
        long[] live = new long[8192];
        for (int i = 0; i < live.length; i++) {
            live[i] = touch(allocator.malloc(256 << random.nextInt(9)));
        }
        int replacements = 1_000_000;
        long start = System.nanoTime();
        for (int i = 0; i < replacements; i++) {
            int victim = random.nextInt(live.length);
            allocator.free(live[victim]);
            live[victim] = touch(allocator.malloc(256 << random.nextInt(9)));
        }
        long nanos = System.nanoTime() - start;
        for (long block : live) {
            allocator.free(block);
        }
        return snapshot(allocator, nanos, 2L * replacements);
    }

    /** Sizes as a server sees them: mostly small, some kilobytes, a few tens of kilobytes. */
    private static int mixedSize(SplittableRandom random) {
        int dice = random.nextInt(100);
        if (dice < 70) {
            return 16 + random.nextInt(240);
        }
        return dice < 95 ? 256 + random.nextInt(3840) : 4096 + random.nextInt(61440);
    }

    private static long touch(long address) {
        if (address == 0) {
            throw new OutOfMemoryError("benchmark allocation refused");
        }
        MemorySegment.ofAddress(address).reinterpret(Long.BYTES).set(ValueLayout.JAVA_LONG, 0, address);
        return address;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String kib(double bytes) {
        return String.format(Locale.ROOT, "%.0f KiB", bytes / 1024);
    }
}
