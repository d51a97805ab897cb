package io.apfmalloc.benchmarks.footprint;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.harness.Buffers;
import io.apfmalloc.benchmarks.harness.ProcessMemory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Runs one {@link FootprintPlan} in this JVM: the burst on the event loops (each allocates direct buffers from the
 * mix, touching every page, until its share of the live total), the hold, the release (on the allocating loops, or
 * all on the calling thread), the idle period, and the trim ({@link ComparedAllocator#trimOnEventLoop} on each
 * loop, one after the other, so that the last one finds what the others flushed). A sampler thread looks at the
 * allocator's held memory, the resident set and the live bytes every {@code sampleMillis}, and once more as each
 * phase begins.
 */
final class FootprintTimeline {
    private static final long SEED = 7;
    private static final long TASK_TIMEOUT_SECONDS = 600;

    private final ComparedAllocator kind;
    private final ByteBufAllocator allocator;
    private final List<EventExecutor> loops;
    private final FootprintPlan plan;
    private final Consumer<FootprintSample> samples;
    private final AtomicLong liveBytes = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private volatile Phase phase = Phase.BURST;

    private FootprintTimeline(ComparedAllocator kind, ByteBufAllocator allocator, List<EventExecutor> loops,
                              FootprintPlan plan, Consumer<FootprintSample> samples) {
        this.kind = kind;
        this.allocator = allocator;
        this.loops = loops.subList(0, plan.threads());
        this.plan = plan;
        this.samples = samples;
    }

    /**
     * Runs {@code plan} on the first {@code plan.threads()} of {@code loops}, allocating from {@code allocator} (of
     * kind {@code kind}). Hands each sample to {@code samples} (from two threads: make it thread-safe) and each phase
     * with its start in milliseconds to {@code phases}.
     */
    static void run(ComparedAllocator kind, ByteBufAllocator allocator, List<EventExecutor> loops, FootprintPlan plan,
                    Consumer<FootprintSample> samples, BiConsumer<Phase, Long> phases) throws Exception {
        if (loops.size() < plan.threads()) {
            throw new IllegalArgumentException("loops: " + loops.size() + " (expected: >= " + plan.threads() + ")");
        }
        new FootprintTimeline(kind, allocator, loops, plan, samples).run(phases);
    }

    private void run(BiConsumer<Phase, Long> phases) throws Exception {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "footprint-sampler");
            thread.setDaemon(true);
            return thread;
        });
        try {
            enter(Phase.BURST, phases);
            sampler.scheduleAtFixedRate(this::sample, plan.sampleMillis(), plan.sampleMillis(),
                TimeUnit.MILLISECONDS);
            List<Future<List<ByteBuf>>> bursts = new ArrayList<>();
            for (int i = 0; i < loops.size(); i++) {
                long seed = SEED + i;
                bursts.add(loops.get(i).submit(() -> burst(seed, plan.liveBytes() / plan.threads())));
            }
            List<List<ByteBuf>> buffers = new ArrayList<>();
            for (Future<List<ByteBuf>> burst : bursts) {
                buffers.add(await(burst));
            }
            enter(Phase.HOLD, phases);
            sleep(plan.holdSeconds());
            enter(Phase.RELEASE, phases);
            release(buffers);
            enter(Phase.IDLE, phases);
            sleep(plan.idleSeconds());
            for (EventExecutor loop : loops) {
                await(loop.submit(() -> kind.trimOnEventLoop(allocator)));
            }
            enter(Phase.TRIMMED, phases);
            sleep(plan.trimSeconds());
            sample();
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private List<ByteBuf> burst(long seed, long share) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ByteBuf> buffers = new ArrayList<>();
        for (long allocated = 0; allocated < share; ) {
            ByteBuf buffer = allocator.directBuffer(plan.mix().sizes().draw(random));
            Buffers.touchPages(buffer);
            buffers.add(buffer);
            allocated += buffer.capacity();
            liveBytes.addAndGet(buffer.capacity());
        }
        return buffers;
    }

    private void release(List<List<ByteBuf>> buffers) throws Exception {
        if (plan.release() == Release.OTHER) {
            buffers.forEach(this::releaseAll);
            return;
        }
        List<Future<?>> releases = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            List<ByteBuf> own = buffers.get(i);
            releases.add(loops.get(i).submit(() -> releaseAll(own)));
        }
        for (Future<?> release : releases) {
            await(release);
        }
    }

    private void releaseAll(List<ByteBuf> buffers) {
        for (ByteBuf buffer : buffers) {
            liveBytes.addAndGet(-buffer.capacity());
            buffer.release();
        }
    }

    private void enter(Phase next, BiConsumer<Phase, Long> phases) {
        phase = next;
        phases.accept(next, millis());
        sample();
    }

    private void sample() {
        samples.accept(new FootprintSample(millis(), phase, ComparedAllocator.heldBytes(allocator),
            ProcessMemory.residentSetBytes(), liveBytes.get()));
    }

    private long millis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep(Math.round(seconds * 1000));
    }

    private static <T> T await(Future<T> future) throws Exception {
        if (!future.await(TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("an event loop task did not finish in " + TASK_TIMEOUT_SECONDS + " s");
        }
        if (!future.isSuccess()) {
            throw new IllegalStateException("an event loop task failed", future.cause());
        }
        return future.getNow();
    }
}
