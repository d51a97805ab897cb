package io.apfmalloc.benchmarks.raw;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * glibc's {@code malloc} and {@code free} through {@link Linker} downcalls, with addresses as {@code long} (no
 * {@code MemorySegment} per call).
 *
 * <p>The handles used by the benchmarks are linked with {@link Linker.Option#critical critical(false)}, which skips
 * the Java-to-native thread-state transitions and their safepoint polls. That is legitimate here because
 * {@code malloc} and {@code free} never call back into Java, take no heap segments ({@code allowHeapAccess} is
 * false) and always return after a bounded time: their slow paths are one {@code brk}/{@code mmap}/{@code munmap}
 * system call or a short wait on an arena mutex held by another thread that is itself inside {@code malloc}, never on
 * anything that waits for a safepoint. The price is that a safepoint may wait for that one system call. The
 * {@code transition} variants keep the ordinary downcall, to show what {@code critical} is worth.
 */
public final class Libc {
    private static final MethodHandle MALLOC;
    private static final MethodHandle FREE;
    private static final MethodHandle MALLOC_TRANSITION;
    private static final MethodHandle FREE_TRANSITION;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        FunctionDescriptor mallocType = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
        FunctionDescriptor freeType = FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG);
        Linker.Option critical = Linker.Option.critical(false);
        MALLOC = linker.downcallHandle(libc.find("malloc").orElseThrow(), mallocType, critical);
        FREE = linker.downcallHandle(libc.find("free").orElseThrow(), freeType, critical);
        MALLOC_TRANSITION = linker.downcallHandle(libc.find("malloc").orElseThrow(), mallocType);
        FREE_TRANSITION = linker.downcallHandle(libc.find("free").orElseThrow(), freeType);
    }

    private Libc() {
    }

    /** Calls {@code malloc(size)} as a critical function; returns 0 on failure. */
    public static long malloc(long size) {
        try {
            return (long) MALLOC.invokeExact(size);
        } catch (Throwable t) {
            throw new AssertionError("malloc cannot throw", t);
        }
    }

    /** Calls {@code free(address)} as a critical function. */
    public static void free(long address) {
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw new AssertionError("free cannot throw", t);
        }
    }

    /** Calls {@code malloc(size)} through an ordinary downcall (with thread-state transitions). */
    public static long mallocTransition(long size) {
        try {
            return (long) MALLOC_TRANSITION.invokeExact(size);
        } catch (Throwable t) {
            throw new AssertionError("malloc cannot throw", t);
        }
    }

    /** Calls {@code free(address)} through an ordinary downcall (with thread-state transitions). */
    public static void freeTransition(long address) {
        try {
            FREE_TRANSITION.invokeExact(address);
        } catch (Throwable t) {
            throw new AssertionError("free cannot throw", t);
        }
    }
}
