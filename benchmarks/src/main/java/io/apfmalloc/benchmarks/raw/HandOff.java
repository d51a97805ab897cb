package io.apfmalloc.benchmarks.raw;

import io.apfmalloc.core.ApfMalloc;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Control;

/**
 * Shape (d): producer/consumer. In each group one thread allocates (and writes to) blocks and passes them through a
 * {@link SpscRing} of {@value #RING_CAPACITY} slots to the other, which frees them. apfmalloc's frees then land in
 * the consumer's cache, which overflows and flushes to the superblocks, while the producer's cache keeps refilling
 * from the heap: the cross-thread path. A confined arena cannot be closed by another thread, so it has no entry here.
 *
 * <p>The score to read is the producer's ({@code …Producer}): blocks handed off per second. A side waiting on a full
 * or empty ring spins briefly, then yields, and gives up when JMH ends the iteration
 * ({@link Control#stopMeasurement}); blocks still in the ring then are freed by the next iteration's consumer, or at
 * the end of the trial.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HandOff {
    /** Slots in the ring: how far the producer may run ahead of the consumer. */
    public static final int RING_CAPACITY = 1024;

    /**
     * Failed polls before a waiting side yields its core. On a machine with no more cores than runnable threads (2
     * here, shared with other work), a side that only spins can burn its whole time slice while the other side waits
     * for a core; a hundred polls (about a microsecond) cover the common short wait.
     */
    private static final int SPINS_BEFORE_YIELD = 100;

    /** The block size in bytes. */
    @Param({"16", "256", "4096", "65536"})
    public long size;

    private final SpscRing ring = new SpscRing(RING_CAPACITY);
    private final long[] addresses = new long[RING_CAPACITY];
    private final Arena[] arenas = new Arena[RING_CAPACITY];

    /** apfmalloc, producer side. */
    @Benchmark
    @Group("apf")
    @GroupThreads(1)
    public void apfProducer(Control control) {
        int slot = claim(control);
        if (slot >= 0) {
            addresses[slot] = NativeMemory.touch(ApfMalloc.doMalloc(size));
            ring.publish();
        }
    }

    /** apfmalloc, consumer side. */
    @Benchmark
    @Group("apf")
    @GroupThreads(1)
    public void apfConsumer(Control control) {
        int slot = next(control);
        if (slot >= 0) {
            long address = addresses[slot];
            ring.release();
            ApfMalloc.doFree(address);
        }
    }

    /** The native allocator this fork links ({@link ChosenNative}), producer side. */
    @Benchmark
    @Group("nativeMalloc")
    @GroupThreads(1)
    public void nativeMallocProducer(Control control) {
        int slot = claim(control);
        if (slot >= 0) {
            addresses[slot] = NativeMemory.touch(ChosenNative.malloc(size));
            ring.publish();
        }
    }

    /** The native allocator this fork links, consumer side. */
    @Benchmark
    @Group("nativeMalloc")
    @GroupThreads(1)
    public void nativeMallocConsumer(Control control) {
        int slot = next(control);
        if (slot >= 0) {
            long address = addresses[slot];
            ring.release();
            ChosenNative.free(address);
        }
    }

    /** A shared arena per block, producer side. */
    @Benchmark
    @Group("arenaShared")
    @GroupThreads(1)
    public void arenaSharedProducer(Control control) {
        int slot = claim(control);
        if (slot >= 0) {
            Arena arena = Arena.ofShared();
            NativeMemory.touch(arena.allocate(size, NativeMemory.ARENA_ALIGNMENT));
            arenas[slot] = arena;
            ring.publish();
        }
    }

    /** A shared arena per block, consumer side: closes it. */
    @Benchmark
    @Group("arenaShared")
    @GroupThreads(1)
    public void arenaSharedConsumer(Control control) {
        int slot = next(control);
        if (slot >= 0) {
            Arena arena = arenas[slot];
            arenas[slot] = null;
            ring.release();
            arena.close();
        }
    }

    /** Frees what the last iteration left in the ring, with the allocator the group ran. */
    @TearDown
    public void drain(BenchmarkParams params) {
        String group = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        for (int slot = ring.next(); slot >= 0; slot = ring.next()) {
            switch (group) {
                case "apf" -> ApfMalloc.doFree(addresses[slot]);
                case "nativeMalloc" -> ChosenNative.free(addresses[slot]);
                case "arenaShared" -> arenas[slot].close();
                default -> throw new IllegalStateException("unknown group: " + group);
            }
            ring.release();
        }
    }

    /** Waits until the ring has room, or the iteration ends (-1). */
    private int claim(Control control) {
        int slot;
        for (int attempt = 0; (slot = ring.claim()) < 0; attempt++) {
            if (!backOff(control, attempt)) {
                return -1;
            }
        }
        return slot;
    }

    /** Waits until the ring has a block, or the iteration ends (-1). */
    private int next(Control control) {
        int slot;
        for (int attempt = 0; (slot = ring.next()) < 0; attempt++) {
            if (!backOff(control, attempt)) {
                return -1;
            }
        }
        return slot;
    }

    /** Spins, then yields; returns false once JMH has ended the iteration. */
    private static boolean backOff(Control control, int attempt) {
        if (control.stopMeasurement) {
            return false;
        }
        if (attempt < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return true;
    }
}
