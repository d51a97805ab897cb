package io.apfmalloc.benchmarks.raw;

import java.lang.foreign.Linker;

/**
 * glibc's {@code malloc} and {@code free} through {@link Linker} downcalls, with addresses as {@code long}
 * (no {@code MemorySegment} per call).
 *
 * <p>The functions used by the benchmarks are linked with {@link Linker.Option#critical critical(false)}; why that
 * is legitimate is in {@link NativeMalloc#link}. The {@code transition} variants keep the ordinary downcall, to
 * show what {@code critical} is worth. Both are {@code static final}, so the JIT inlines the downcalls.
 */
public final class Libc {
    private static final NativeMalloc CRITICAL = NativeMalloc.link(Linker.nativeLinker().defaultLookup(), true);
    private static final NativeMalloc TRANSITION = NativeMalloc.link(Linker.nativeLinker().defaultLookup(), false);

    private Libc() {
    }

    /** Returns glibc's functions linked as critical: the process's own {@code malloc} and {@code free}. */
    public static NativeMalloc critical() {
        return CRITICAL;
    }

    /** Calls {@code malloc(size)} as a critical function; returns 0 on failure. */
    public static long malloc(long size) {
        return CRITICAL.malloc(size);
    }

    /** Calls {@code free(address)} as a critical function. */
    public static void free(long address) {
        CRITICAL.free(address);
    }

    /** Calls {@code malloc(size)} through an ordinary downcall (with thread-state transitions). */
    public static long mallocTransition(long size) {
        return TRANSITION.malloc(size);
    }

    /** Calls {@code free(address)} through an ordinary downcall (with thread-state transitions). */
    public static void freeTransition(long address) {
        TRANSITION.free(address);
    }
}
