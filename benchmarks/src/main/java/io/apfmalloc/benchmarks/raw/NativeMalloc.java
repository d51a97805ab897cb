package io.apfmalloc.benchmarks.raw;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A native allocator's {@code malloc} and {@code free} as {@link Linker} downcalls, with addresses as {@code long}
 * (no {@code MemorySegment} per call): glibc's from the default lookup ({@link Libc}), or those of a library loaded
 * with {@link SymbolLookup#libraryLookup} (jemalloc, mimalloc, tcmalloc).
 *
 * <p>Reach an instance through a {@code static final} field (or a chain of record components from one): the JIT
 * then sees both handles as constants (record fields are trusted as final) and inlines the downcalls. Called
 * through an instance it cannot see, each call goes through the handle's generic invoker: a glibc malloc/free pair
 * of 32 bytes measured 32 ns that way against 20 ns through a constant (JDK 25, 2-core EPYC under KVM).
 *
 * @param malloc {@code (long size) -> long address}
 * @param free   {@code (long address) -> void}
 */
public record NativeMalloc(MethodHandle malloc, MethodHandle free) {
    private static final FunctionDescriptor MALLOC_TYPE = FunctionDescriptor.of(ValueLayout.JAVA_LONG,
        ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor FREE_TYPE = FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG);

    /**
     * Links {@code malloc} and {@code free} of {@code symbols}.
     *
     * <p>With {@code critical} the handles are linked with {@link Linker.Option#critical critical(false)}, which
     * skips the Java-to-native thread-state transitions and their safepoint polls. That is legitimate for
     * {@code malloc} and {@code free} of glibc, jemalloc, mimalloc and tcmalloc: they never call back into Java,
     * take no heap segments ({@code allowHeapAccess} is false) and always return after a bounded time (their slow
     * paths are a system call, {@code brk}, {@code mmap}, {@code madvise} or {@code munmap}, or a short wait on a
     * lock held by another thread that is itself inside the allocator, never on anything that waits for a
     * safepoint). The price is that a safepoint may wait for that one system call.
     *
     * @throws IllegalArgumentException if {@code symbols} has no {@code malloc} or no {@code free}
     */
    public static NativeMalloc link(SymbolLookup symbols, boolean critical) {
        Linker linker = Linker.nativeLinker();
        Linker.Option[] options = critical ? new Linker.Option[] {Linker.Option.critical(false)}
            : new Linker.Option[0];
        return new NativeMalloc(linker.downcallHandle(find(symbols, "malloc"), MALLOC_TYPE, options),
            linker.downcallHandle(find(symbols, "free"), FREE_TYPE, options));
    }

    /** Returns the address of {@code name} in {@code symbols}; throws IllegalArgumentException if it is missing. */
    public static MemorySegment find(SymbolLookup symbols, String name) {
        return symbols.find(name).orElseThrow(() -> new IllegalArgumentException("symbol not found: " + name));
    }

    /** Calls {@code malloc(size)}; returns 0 on failure. */
    public long malloc(long size) {
        try {
            return (long) malloc.invokeExact(size);
        } catch (Throwable t) {
            throw new AssertionError("malloc cannot throw", t);
        }
    }

    /** Calls {@code free(address)}. */
    public void free(long address) {
        try {
            free.invokeExact(address);
        } catch (Throwable t) {
            throw new AssertionError("free cannot throw", t);
        }
    }
}
