package io.apfmalloc.examples;

import io.apfmalloc.core.AllocatorStats;
import io.apfmalloc.core.ApfMalloc;
import io.apfmalloc.core.ApfSegmentAllocator;
import io.apfmalloc.core.AutoPtr;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The standalone API in one page: malloc, realloc, aligned allocation and free; typed allocation from a
 * {@link MemoryLayout}; the auto-freeing {@link AutoPtr} in try-with-resources; the {@link ApfSegmentAllocator}
 * feeding FFM downcalls to the C library's {@code strlen} and {@code qsort}; a malloc/free timing; and what the
 * allocator holds afterwards.
 *
 * <p>Run: {@code mvn -B -q -DskipTests -Prun-demo package} (or {@code -Pexample -Dexample=RawMalloc}). The
 * argument, optional, is the number of malloc/free pairs to time (default 10,000,000).
 */
public final class RawMalloc {
    /** A C {@code struct point { int32_t x; int32_t y; }}: what typed allocation allocates. */
    static final StructLayout POINT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("x"),
        ValueLayout.JAVA_INT.withName("y"));
    private static final VarHandle POINT_X = POINT.varHandle(MemoryLayout.PathElement.groupElement("x"));
    private static final VarHandle POINT_Y = POINT.varHandle(MemoryLayout.PathElement.groupElement("y"));

    private static final Linker LINKER = Linker.nativeLinker();
    /** {@code size_t strlen(const char *s)}. */
    private static final MethodHandle STRLEN = LINKER.downcallHandle(
        LINKER.defaultLookup().find("strlen").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    /** {@code void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *))}. */
    private static final MethodHandle QSORT = LINKER.downcallHandle(
        LINKER.defaultLookup().find("qsort").orElseThrow(),
        FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.ADDRESS));
    /** The comparator's C signature: two pointers to {@code int}. */
    private static final FunctionDescriptor COMPARE_INTS = FunctionDescriptor.of(ValueLayout.JAVA_INT,
        ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_INT),
        ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_INT));

    private RawMalloc() {
    }

    /**
     * Runs the tour and prints what happens.
     *
     * @param args the number of malloc/free pairs to time (optional)
     * @throws Throwable if a downcall fails
     */
    public static void main(String[] args) throws Throwable {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        mallocReallocFree();
        typedAllocation();
        autoFreeingHandle();
        segmentAllocatorWithDowncalls();
        timePairs(pairs);

        ApfMalloc.flushThreadCache();
        ApfMalloc.allocator().trim();
        AllocatorStats stats = ApfMalloc.allocator().stats();
        System.out.printf("held from the OS after trim(): %d bytes in %d superblocks%n",
            stats.mappedBytes(), stats.liveSuperblocks());
    }

    /** The seed's C-style functions: addresses are {@code long}s, 0 is null, nothing is freed for you. */
    private static void mallocReallocFree() {
        long p = ApfMalloc.doMalloc(100);
        if (p == 0) {
            throw new OutOfMemoryError("doMalloc(100) refused");  // the raw API returns 0, it never throws for OOM
        }
        MemorySegment bytes = ApfMalloc.segment(p, 100);          // bounds-checked view, not an owner
        bytes.fill((byte) 7);
        System.out.printf("doMalloc(100)         -> 0x%x, usable %d bytes%n", p, ApfMalloc.usableSize(p));

        long q = ApfMalloc.doRealloc(p, 5000);                    // moves to a larger class, keeps the 100 bytes
        System.out.printf("doRealloc(p, 5000)    -> 0x%x, first byte still %d%n", q,
            ApfMalloc.segment(q, 5000).get(ValueLayout.JAVA_BYTE, 0));
        ApfMalloc.doFree(q);

        long aligned = ApfMalloc.doAlignedAlloc(4096, 1000);
        System.out.printf("doAlignedAlloc(4096)  -> 0x%x (address %% 4096 = %d)%n", aligned, aligned % 4096);
        ApfMalloc.doFree(aligned);
    }

    /** The seed's {@code allocate_type} and {@code allocate_val}: memory shaped and aligned by a layout. */
    private static void typedAllocation() {
        long point = ApfMalloc.allocateType(POINT);
        MemorySegment segment = ApfMalloc.segment(point, POINT.byteSize());
        POINT_X.set(segment, 0L, 3);
        POINT_Y.set(segment, 0L, 4);

        long copy = ApfMalloc.allocateValue(POINT, segment);      // a new allocation initialised from a value
        MemorySegment copied = ApfMalloc.segment(copy, POINT.byteSize());
        System.out.printf("allocateType(POINT)   -> 0x%x, %d bytes; allocateValue copy: x=%d y=%d%n", point,
            POINT.byteSize(), (int) POINT_X.get(copied, 0L), (int) POINT_Y.get(copied, 0L));
        ApfMalloc.doFree(copy);
        ApfMalloc.doFree(point);
    }

    /** The seed's {@code AutoPtr}: freed at the end of the try block; its segment stops working then. */
    private static void autoFreeingHandle() {
        MemorySegment escaped;
        try (AutoPtr point = AutoPtr.allocate(POINT)) {
            POINT_X.set(point.segment(), 0L, 42);
            System.out.printf("AutoPtr<POINT>        -> x=%d, freed at the end of the try block%n",
                (int) POINT_X.get(point.segment(), 0L));
            escaped = point.segment();
        }
        try {
            POINT_X.get(escaped, 0L);
        } catch (IllegalStateException e) {
            System.out.println("AutoPtr after close   -> IllegalStateException, the freed block is not touched");
        }
    }

    /** A {@code SegmentAllocator} for FFM code: arguments for C functions, allocated from apfmalloc. */
    private static void segmentAllocatorWithDowncalls() throws Throwable {
        ApfSegmentAllocator allocator = ApfMalloc.segmentAllocator();

        MemorySegment text = allocator.allocateFrom("hello, apfmalloc");   // a NUL-terminated UTF-8 copy
        long length = (long) STRLEN.invokeExact(text);
        System.out.printf("strlen(\"%s\")  -> %d%n", text.getString(0), length);
        allocator.free(text);

        int[] values = {42, 7, 19, -3, 100, 0, 7};
        MemorySegment array = allocator.allocateFrom(ValueLayout.JAVA_INT, values);
        MethodHandle compare = MethodHandles.lookup().findStatic(RawMalloc.class, "compareInts",
            MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
        try (Arena upcalls = Arena.ofConfined()) {                  // the comparator's stub lives as long as this
            MemorySegment comparator = LINKER.upcallStub(compare, COMPARE_INTS, upcalls);
            QSORT.invokeExact(array, (long) values.length, ValueLayout.JAVA_INT.byteSize(), comparator);
        }
        System.out.printf("qsort(%s) -> %s%n", Arrays.toString(values),
            Arrays.toString(array.toArray(ValueLayout.JAVA_INT)));
        allocator.free(array);
    }

    /** The C comparator {@code qsort} calls back: the two {@code int}s' order. */
    private static int compareInts(MemorySegment left, MemorySegment right) {
        return Integer.compare(left.get(ValueLayout.JAVA_INT, 0), right.get(ValueLayout.JAVA_INT, 0));
    }

    /** The thread-cache fast path: one malloc and one free of the same block, many times. */
    private static void timePairs(int pairs) {
        long start = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            ApfMalloc.doFree(ApfMalloc.doMalloc(64));
        }
        System.out.printf("%,d malloc/free pairs of 64 B: %.1f ns per pair%n", pairs,
            (System.nanoTime() - start) / (double) Math.max(1, pairs));
    }
}
