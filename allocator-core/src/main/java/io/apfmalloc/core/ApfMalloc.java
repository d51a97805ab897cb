package io.apfmalloc.core;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;

/**
 * The standalone API, named as in apfmalloc: {@code malloc(3)}-style functions over one shared
 * {@link ApfAllocator}, configured by the {@code apfmalloc.*} system properties (see {@link ApfAllocator.Builder}).
 *
 * <p>Pointers are {@code long} addresses; 0 is the null pointer. Every function but {@link #doFree} returns 0 when
 * memory is refused (the memory limit, or the OS). Negative sizes and alignments that are not powers of two throw
 * {@link IllegalArgumentException}, as do frees of addresses this allocator never returned. Any thread may call any
 * function; a block may be freed by a thread other than the one that allocated it.
 *
 * <pre>{@code
 * long p = ApfMalloc.doMalloc(64);
 * MemorySegment s = ApfMalloc.segment(p, 64);   // read and write it through FFM
 * ApfMalloc.doFree(p);
 * }</pre>
 */
public final class ApfMalloc {
    private ApfMalloc() {
    }

    /** Holds the shared allocator, made on first use. */
    private static final class Shared {
        static final ApfAllocator ALLOCATOR = ApfAllocator.builder().build();
    }

    /** Returns the shared allocator behind these functions. */
    public static ApfAllocator allocator() {
        return Shared.ALLOCATOR;
    }

    /**
     * Allocates at least {@code size} bytes (uninitialised).
     *
     * @return the address, or 0 on failure
     * @throws IllegalArgumentException if {@code size < 0}
     */
    public static long doMalloc(long size) {
        return Shared.ALLOCATOR.malloc(size);
    }

    /**
     * Allocates at least {@code size} bytes at a multiple of {@code align}.
     *
     * @return the address, or 0 on failure
     * @throws IllegalArgumentException if {@code size < 0} or {@code align} is not a power of two
     */
    public static long doAlignedAlloc(long align, long size) {
        return Shared.ALLOCATOR.alignedAlloc(align, size);
    }

    /**
     * Resizes {@code ptr} to {@code size} bytes, keeping {@code min(old usable size, size)} bytes;
     * {@code doRealloc(0, size)} is {@code doMalloc(size)}.
     *
     * @return the new address (maybe {@code ptr}), or 0 on failure, leaving {@code ptr} valid
     * @throws IllegalArgumentException if {@code size < 0} or {@code ptr} is not an allocation of this allocator
     */
    public static long doRealloc(long ptr, long size) {
        return Shared.ALLOCATOR.realloc(ptr, size);
    }

    /**
     * Frees {@code ptr}; {@code doFree(0)} does nothing.
     *
     * @throws IllegalArgumentException if {@code ptr} is not an allocation of this allocator
     * @throws IllegalStateException    on a double free where detected (see {@link ApfAllocator})
     */
    public static void doFree(long ptr) {
        Shared.ALLOCATOR.free(ptr);
    }

    /** Returns how many bytes {@code ptr} can hold (0 for 0). */
    public static long usableSize(long ptr) {
        return Shared.ALLOCATOR.usableSize(ptr);
    }

    /**
     * Allocates uninitialised memory for {@code layout}, aligned as it requires (the seed's {@code allocate_type}).
     *
     * @return the address, or 0 on failure
     */
    public static long allocateType(MemoryLayout layout) {
        return Shared.ALLOCATOR.alignedAlloc(layout.byteAlignment(), layout.byteSize());
    }

    /**
     * Allocates memory for {@code value}'s layout and copies {@code value} into it (the seed's {@code allocate_val}).
     *
     * @return the address, or 0 on failure
     */
    public static long allocateValue(MemoryLayout layout, MemorySegment value) {
        long address = allocateType(layout);
        if (address != 0) {
            MemorySegment.copy(value, 0, segment(address, layout.byteSize()), 0, layout.byteSize());
        }
        return address;
    }

    /**
     * Returns a bounds-checked view of {@code size} bytes at {@code ptr}. The view does not own the memory and does
     * not know when it is freed; prefer {@link AutoPtr} when one owner frees it.
     */
    public static MemorySegment segment(long ptr, long size) {
        return MemorySegment.ofAddress(ptr).reinterpret(size);
    }

    /** Returns the calling thread's cached blocks to the shared heap. */
    public static void flushThreadCache() {
        Shared.ALLOCATOR.flushThreadCache();
    }

    /** Returns a {@link java.lang.foreign.SegmentAllocator} over the shared allocator. */
    public static ApfSegmentAllocator segmentAllocator() {
        return ApfSegmentAllocator.of(Shared.ALLOCATOR);
    }
}
