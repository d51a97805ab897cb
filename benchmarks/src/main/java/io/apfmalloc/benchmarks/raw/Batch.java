package io.apfmalloc.benchmarks.raw;

import io.apfmalloc.core.ApfMalloc;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shape (b): allocate {@value #BLOCKS} blocks (writing to each), then free them all in allocation order, on the same
 * thread. Unlike a pair this runs past the thread cache: apfmalloc's bin empties and refills from the heap, then
 * overflows and flushes back, and large sizes map, touch and unmap memory. One operation is one malloc/free pair,
 * so the scores compare with {@link SameThreadPair}'s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class Batch {
    /** Blocks live at once in one invocation. */
    public static final int BLOCKS = 1000;

    /** The block size in bytes. */
    @Param({"16", "256", "4096", "65536"})
    public long size;

    private final long[] addresses = new long[BLOCKS];
    private final Arena[] arenas = new Arena[BLOCKS];

    /** apfmalloc's static API. */
    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public void apf() {
        for (int i = 0; i < BLOCKS; i++) {
            addresses[i] = NativeMemory.touch(ApfMalloc.doMalloc(size));
        }
        for (int i = 0; i < BLOCKS; i++) {
            ApfMalloc.doFree(addresses[i]);
        }
    }

    /** The native allocator this fork links ({@link ChosenNative}) through critical downcalls. */
    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public void nativeMalloc() {
        for (int i = 0; i < BLOCKS; i++) {
            addresses[i] = NativeMemory.touch(ChosenNative.malloc(size));
        }
        for (int i = 0; i < BLOCKS; i++) {
            ChosenNative.free(addresses[i]);
        }
    }

    /** A shared arena per block, all closed after. */
    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public void arenaShared() {
        for (int i = 0; i < BLOCKS; i++) {
            arenas[i] = Arena.ofShared();
            NativeMemory.touch(arenas[i].allocate(size, NativeMemory.ARENA_ALIGNMENT));
        }
        closeAll();
    }

    /** A confined arena per block, all closed after. */
    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public void arenaConfined() {
        for (int i = 0; i < BLOCKS; i++) {
            arenas[i] = Arena.ofConfined();
            NativeMemory.touch(arenas[i].allocate(size, NativeMemory.ARENA_ALIGNMENT));
        }
        closeAll();
    }

    private void closeAll() {
        for (int i = 0; i < BLOCKS; i++) {
            arenas[i].close();
            arenas[i] = null;
        }
    }
}
