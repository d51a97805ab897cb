package io.apfmalloc.benchmarks.raw;

import io.apfmalloc.core.ApfMalloc;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shape (a): one malloc, one write, one free of the same block, on the same thread. With every thread running its
 * own pair this measures the allocator's fastest path (a thread-cache hit for apfmalloc and glibc's tcache, an
 * {@code Arena}'s whole life for FFM). One operation is one pair.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SameThreadPair {
    /** The block size in bytes. */
    @Param({"16", "256", "4096", "65536"})
    public long size;

    /** apfmalloc's static API. */
    @Benchmark
    public long apf() {
        long address = NativeMemory.touch(ApfMalloc.doMalloc(size));
        ApfMalloc.doFree(address);
        return address;
    }

    /** apfmalloc's sized free, for callers that know the size (as Netty buffers do): no page map lookup. */
    @Benchmark
    public long apfSized() {
        long address = NativeMemory.touch(ApfMalloc.doMalloc(size));
        ApfMalloc.allocator().freeSized(address, size);
        return address;
    }

    /** The native allocator this fork links ({@link ChosenNative}) through critical downcalls. */
    @Benchmark
    public long nativeMalloc() {
        long address = NativeMemory.touch(ChosenNative.malloc(size));
        ChosenNative.free(address);
        return address;
    }

    /** glibc through ordinary downcalls: what {@code Linker.Option.critical} saves. */
    @Benchmark
    public long libcTransition() {
        long address = NativeMemory.touch(Libc.mallocTransition(size));
        Libc.freeTransition(address);
        return address;
    }

    /** A shared arena per allocation: its {@code close} is what frees, and it must synchronise with every thread. */
    @Benchmark
    public long arenaShared() {
        try (Arena arena = Arena.ofShared()) {
            return NativeMemory.touch(arena.allocate(size, NativeMemory.ARENA_ALIGNMENT));
        }
    }

    /** A confined arena per allocation: the cheapest way FFM frees a single block. */
    @Benchmark
    public long arenaConfined() {
        try (Arena arena = Arena.ofConfined()) {
            return NativeMemory.touch(arena.allocate(size, NativeMemory.ARENA_ALIGNMENT));
        }
    }
}
