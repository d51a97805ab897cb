package io.apfmalloc.benchmarks.raw;

import io.apfmalloc.benchmarks.classic.AllocatorKind;

/**
 * The native allocator this JVM measures, chosen by {@code -Draw.native} ({@code glibc}, {@code jemalloc},
 * {@code mimalloc} or {@code tcmalloc}; glibc by default): the runner forks one JVM per allocator, so each stays a
 * {@code static final} constant whose downcalls the JIT inlines ({@link NativeMalloc} says why that matters).
 */
final class ChosenNative {
    /** The chosen allocator's functions, linked as critical downcalls. */
    static final NativeMalloc MALLOC = AllocatorKind.of(System.getProperty("raw.native", "glibc")).linkNative();

    private ChosenNative() {
    }

    static long malloc(long size) {
        return MALLOC.malloc(size);
    }

    static void free(long address) {
        MALLOC.free(address);
    }
}
