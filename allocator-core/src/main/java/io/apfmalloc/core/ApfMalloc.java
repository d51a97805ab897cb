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

    /**
     * Holds the shared allocator, made on first use, or why it could not be made: a bad {@code apfmalloc.*}
     * property fails every call with the same message, instead of a class that failed to initialise.
     */
    private static final class Shared {
        static final ApfAllocator ALLOCATOR;
        static final IllegalArgumentException BAD_SETTING;

        static {
            ApfAllocator allocator = null;
            IllegalArgumentException badSetting = null;
            try {
                allocator = ApfAllocator.builder().build();
            } catch (IllegalArgumentException e) {
                badSetting = e;
            }
            ALLOCATOR = allocator;
            BAD_SETTING = badSetting;
        }

        /** Returns the shared allocator; a constant once compiled, so the check costs nothing. */
        static ApfAllocator allocator() {
            ApfAllocator allocator = ALLOCATOR;
            if (allocator == null) {
                throw new IllegalStateException("the shared allocator cannot be made: " + BAD_SETTING.getMessage(),
                    BAD_SETTING);
            }
            return allocator;
        }
    }

    /**
     * Returns the shared allocator behind these functions.
     *
     * @throws IllegalStateException if an {@code apfmalloc.*} system property holds a bad value (as does every
     *                               function here then); the message names the property, its text and the
     *                               accepted form
     */
    public static ApfAllocator allocator() {
        return Shared.allocator();
    }

    /**
     * Allocates at least {@code size} bytes (uninitialised).
     *
     * @return the address, or 0 on failure
     * @throws IllegalArgumentException if {@code size < 0}
     */
    public static long doMalloc(long size) {
        return Shared.allocator().malloc(size);
    }

    /**
     * Allocates at least {@code size} bytes at a multiple of {@code align}.
     *
     * @return the address, or 0 on failure
     * @throws IllegalArgumentException if {@code size < 0} or {@code align} is not a power of two
     */
    public static long doAlignedAlloc(long align, long size) {
        return Shared.allocator().alignedAlloc(align, size);
    }

    /**
     * Resizes {@code ptr} to {@code size} bytes, keeping {@code min(old usable size, size)} bytes;
     * {@code doRealloc(0, size)} is {@code doMalloc(size)}.
     *
     * @return the new address (maybe {@code ptr}), or 0 on failure, leaving {@code ptr} valid
     * @throws IllegalArgumentException if {@code size < 0} or {@code ptr} is not an allocation of this allocator
     */
    public static long doRealloc(long ptr, long size) {
        return Shared.allocator().realloc(ptr, size);
    }

    /**
     * Frees {@code ptr}; {@code doFree(0)} does nothing.
     *
     * @throws IllegalArgumentException if {@code ptr} is not an allocation of this allocator
     * @throws IllegalStateException    on a double free where detected (see {@link ApfAllocator})
     */
    public static void doFree(long ptr) {
        Shared.allocator().free(ptr);
    }

    /** Returns how many bytes {@code ptr} can hold (0 for 0). */
    public static long usableSize(long ptr) {
        return Shared.allocator().usableSize(ptr);
    }

    /**
     * Allocates uninitialised memory for {@code layout}, aligned as it requires (the seed's {@code allocate_type}).
     *
     * @return the address, or 0 on failure
     */
    public static long allocateType(MemoryLayout layout) {
        return Shared.allocator().alignedAlloc(layout.byteAlignment(), layout.byteSize());
    }

    /**
     * Allocates memory for {@code value}'s layout and copies {@code value} into it (the seed's {@code allocate_val}).
     *
     * @return the address, or 0 on failure
     * @throws IllegalArgumentException if {@code value} is smaller than {@code layout}; nothing is allocated
     */
    public static long allocateValue(MemoryLayout layout, MemorySegment value) {
        if (value.byteSize() < layout.byteSize()) {
            throw new IllegalArgumentException("value: " + value.byteSize() + " bytes (expected: at least the "
                + layout.byteSize() + " of " + layout + ")");
        }
        long address = allocateType(layout);
        if (address != 0) {
            try {
                MemorySegment.copy(value, 0, segment(address, layout.byteSize()), 0, layout.byteSize());
            } catch (RuntimeException | Error e) {
                doFree(address);
                throw e;
            }
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
        Shared.allocator().flushThreadCache();
    }

    /** Returns a {@link java.lang.foreign.SegmentAllocator} over the shared allocator. */
    public static ApfSegmentAllocator segmentAllocator() {
        return ApfSegmentAllocator.of(Shared.allocator());
    }
}
