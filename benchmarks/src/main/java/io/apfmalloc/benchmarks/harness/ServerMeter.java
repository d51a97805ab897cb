package io.apfmalloc.benchmarks.harness;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.netty.buffer.ByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a benchmark server measures of itself between a {@link #reset()} and a {@link #reading()}: the peaks of its
 * resident set and of its allocator's held memory, sampled every 100 ms, and the CPU time the whole process (event
 * loops, JIT, GC) spent. Call {@code reset} and {@code reading} from one thread at a time.
 */
public final class ServerMeter implements AutoCloseable {
    /** How often resident set and held memory are sampled between {@code reset} and {@code reading}. */
    private static final long SAMPLE_MILLIS = 100;

    private final ByteBufAllocator allocator;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "server-meter");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong peakRss = new AtomicLong();
    private final AtomicLong peakHeld = new AtomicLong();
    private long cpuNanosAtReset;
    private ScheduledFuture<?> sampling;

    /** Measures the process and {@code allocator}'s held memory ({@link ComparedAllocator#heldBytes}). */
    public ServerMeter(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /** One reading: the figures since the last reset, sizes in bytes. */
    public record Reading(long rssBytes, long peakRssBytes, long heldBytes, long peakHeldBytes,
                          long heapCommittedBytes, long cpuNanos) {
    }

    /** Starts sampling peaks anew and the CPU time from now. */
    public synchronized void reset() {
        stopSampling();
        peakRss.set(ProcessMemory.residentSetBytes());
        peakHeld.set(ComparedAllocator.heldBytes(allocator));
        cpuNanosAtReset = processCpuNanos();
        sampling = sampler.scheduleAtFixedRate(this::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops sampling and returns the resident set, the allocator's held memory (now and their peaks since the last
     * reset), the committed Java heap, and the process's CPU time since the reset (-1 where the JVM cannot tell).
     */
    public synchronized Reading reading() {
        stopSampling();
        long cpu = processCpuNanos();
        long rss = ProcessMemory.residentSetBytes();
        long held = ComparedAllocator.heldBytes(allocator);
        return new Reading(rss, Math.max(rss, peakRss.get()), held, Math.max(held, peakHeld.get()),
            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted(),
            cpu < 0 ? -1 : cpu - cpuNanosAtReset);
    }

    /** Returns the CPU time of every thread of this process so far (user and system), or -1. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
            ? os.getProcessCpuTime() : -1;
    }

    private void sample() {
        peakRss.accumulateAndGet(ProcessMemory.residentSetBytes(), Math::max);
        peakHeld.accumulateAndGet(ComparedAllocator.heldBytes(allocator), Math::max);
    }

    private void stopSampling() {
        if (sampling != null) {
            sampling.cancel(false);
            sampling = null;
        }
    }

    /** Stops the sampler thread. */
    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
