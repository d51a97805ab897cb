package io.apfmalloc.benchmarks.pattern;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.harness.Buffers;
import io.apfmalloc.benchmarks.harness.ProcessMemory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs one {@link ReplayCell} in this JVM. Each event loop fills its own live set, then, for the warm-up and the
 * measured window, replaces a buffer chosen at random by a new one drawn from the mix, and finally releases them
 * all. Slots and sizes come from a fixed-seed sequence per loop, drawn before the windows, the same for every
 * allocator. In this benchmark's own style every new buffer is touched ({@link Buffers#touchPages}), so that live
 * memory is resident as a filled read buffer's is; the cell's {@link ReplayStyle} says how slots are chosen, which
 * memory is allocated and what is done to a new buffer.
 *
 * <p>While the measured window runs, the calling thread samples the resident set and the allocator's held memory
 * every {@value #SAMPLE_MILLIS} ms.
 */
final class Replay {
    static final long SAMPLE_MILLIS = 50;
    /** Length of a loop's precomputed (slot, size) sequence, a power of two: 2 MiB of arrays per loop. */
    private static final int SEQUENCE = 1 << 18;
    /** Replacements between two reads of the clock. */
    private static final int OPS_PER_CLOCK_READ = 64;
    private static final long SEED = 42;
    /** Longest a phase may take before the replay is declared stuck. */
    private static final long PHASE_TIMEOUT_SECONDS = 600;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Replay() {
    }

    /**
     * Runs {@code cell} on the first {@code cell.threads()} of {@code loops}, allocating from {@code allocator} (of
     * kind {@code kind}), and reports each phase ({@code fill}, {@code warmup}, {@code measure}, {@code release})
     * to {@code phases} as it starts.
     *
     * @throws IllegalStateException if a loop fails, or did not allocate through its event-loop cache
     */
    static ReplayResult run(ComparedAllocator kind, ByteBufAllocator allocator, List<EventExecutor> loops,
                            ReplayCell cell, Consumer<String> phases) throws InterruptedException {
        if (loops.size() < cell.threads()) {
            throw new IllegalArgumentException("loops: " + loops.size() + " (expected: >= " + cell.threads() + ")");
        }
        long baseRss = ProcessMemory.residentSetBytes();
        CyclicBarrier filled = new CyclicBarrier(cell.threads() + 1);
        CountDownLatch measured = new CountDownLatch(cell.threads());
        List<Future<LoopResult>> results = new ArrayList<>();
        phases.accept("fill");
        for (int i = 0; i < cell.threads(); i++) {
            LoopReplay replay = new LoopReplay(kind, allocator, cell, i, filled, measured);
            results.add(loops.get(i).submit(replay::run));
        }
        long peakRss = 0;
        long peakHeld = 0;
        try {
            filled.await(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            phases.accept("warmup");
            Thread.sleep(Math.round(cell.warmupSeconds() * 1000));
            phases.accept("measure");
            do {
                peakRss = Math.max(peakRss, ProcessMemory.residentSetBytes());
                peakHeld = Math.max(peakHeld, ComparedAllocator.heldBytes(allocator));
                if (results.stream().anyMatch(result -> result.isDone() && !result.isSuccess())) {
                    throw failure(results, null);
                }
            } while (!measured.await(SAMPLE_MILLIS, TimeUnit.MILLISECONDS));
            phases.accept("release");
        } catch (BrokenBarrierException | TimeoutException e) {
            throw failure(results, e);
        }
        long operations = 0;
        long threadNanos = 0;
        long cpuNanos = 0;
        long liveBytes = 0;
        for (Future<LoopResult> result : results) {
            if (!result.await(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !result.isSuccess()) {
                throw failure(results, result.cause());
            }
            LoopResult loop = result.getNow();
            operations += loop.operations();
            threadNanos += loop.nanos();
            cpuNanos += loop.cpuNanos();
            liveBytes += loop.liveBytes();
        }
        return new ReplayResult(operations, threadNanos, cpuNanos, liveBytes, baseRss, peakRss, peakHeld,
            ProcessMemory.residentSetBytes(), ComparedAllocator.heldBytes(allocator));
    }

    /** Returns an exception carrying the first loop failure, or {@code cause} if no loop failed yet. */
    private static IllegalStateException failure(List<Future<LoopResult>> results, Throwable cause) {
        for (Future<LoopResult> result : results) {
            result.awaitUninterruptibly(1, TimeUnit.SECONDS);
            if (result.isDone() && !result.isSuccess()) {
                return new IllegalStateException("a replay loop failed", result.cause());
            }
        }
        return new IllegalStateException("replay stuck or failed", cause);
    }

    /**
     * What one loop measured.
     *
     * @param operations replacements in the measured window
     * @param nanos      the window's length on this loop
     * @param cpuNanos   the loop's CPU time in the window
     * @param liveBytes  the live buffers' requested capacities at the window's end
     */
    private record LoopResult(long operations, long nanos, long cpuNanos, long liveBytes) {
    }

    /** One event loop's part: its live set, its sequence and its windows. */
    private static final class LoopReplay {
        private final ComparedAllocator kind;
        private final ByteBufAllocator allocator;
        private final ReplayCell cell;
        private final CyclicBarrier filled;
        private final CountDownLatch measured;
        private final ByteBuf[] live;
        private final int[] slots = new int[SEQUENCE];
        private final int[] sizes = new int[SEQUENCE];
        private final SplittableRandom random;
        private long liveBytes;
        private int next;

        LoopReplay(ComparedAllocator kind, ByteBufAllocator allocator, ReplayCell cell, int loop,
                   CyclicBarrier filled, CountDownLatch measured) {
            this.kind = kind;
            this.allocator = allocator;
            this.cell = cell;
            this.filled = filled;
            this.measured = measured;
            this.live = new ByteBuf[cell.liveBuffers()];
            this.random = new SplittableRandom(SEED + loop);
            cell.style().releaseOrder(slots, cell.liveBuffers(), random);
            for (int i = 0; i < SEQUENCE; i++) {
                sizes[i] = cell.mix().sizes().draw(random);
            }
        }

        /** Fills, replays and releases; a failure breaks the barrier so that nobody waits for this loop. */
        LoopResult run() throws Exception {
            try {
                for (int i = 0; i < live.length; i++) {
                    live[i] = allocate(cell.mix().sizes().draw(random));
                }
                filled.await(PHASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                long start = System.nanoTime();
                replaceUntil(start + Math.round(cell.warmupSeconds() * 1e9));
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                long measureStart = System.nanoTime();
                long operations = replaceUntil(measureStart + Math.round(cell.measureSeconds() * 1e9));
                long nanos = System.nanoTime() - measureStart;
                long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
                measured.countDown();
                kind.checkEventLoopCacheUsed(allocator);
                return new LoopResult(operations, nanos, cpuNanos, liveBytes);
            } catch (Exception | Error e) {
                filled.reset();
                throw e;
            } finally {
                for (ByteBuf buffer : live) {
                    if (buffer != null) {
                        release(buffer);
                    }
                }
            }
        }

        /** Releases the replay's only reference; a buffer still referenced after it is a bug of the replay. */
        private static void release(ByteBuf buffer) {
            if (!buffer.release()) {
                throw new IllegalStateException("buffer still referenced after its release: " + buffer);
            }
        }

        private ByteBuf allocate(int size) {
            ByteBuf buffer = cell.style().allocate(allocator, size);
            liveBytes += size;
            return buffer;
        }

        private long replaceUntil(long deadline) {
            long operations = 0;
            do {
                for (int i = 0; i < OPS_PER_CLOCK_READ; i++) {
                    int index = next++ & (SEQUENCE - 1);
                    ByteBuf old = live[slots[index]];
                    liveBytes -= old.capacity();
                    release(old);
                    live[slots[index]] = allocate(sizes[index]);
                }
                operations += OPS_PER_CLOCK_READ;
            } while (System.nanoTime() < deadline);
            return operations;
        }
    }
}
