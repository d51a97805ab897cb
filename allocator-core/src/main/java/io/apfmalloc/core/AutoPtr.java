package io.apfmalloc.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;

/**
 * An owning handle to one allocation, freed by {@link #close()} (the seed's {@code AutoPtr}): use it in
 * try-with-resources.
 *
 * <pre>{@code
 * try (AutoPtr p = AutoPtr.allocate(ValueLayout.JAVA_LONG)) {
 *     p.segment().set(ValueLayout.JAVA_LONG, 0, 42);
 * } // freed here
 * }</pre>
 *
 * <p>{@link #segment()} is bounds-checked and tied to a confined arena that closes with the handle: after
 * {@code close()} any access through it throws {@link IllegalStateException} instead of touching freed memory. The
 * segment, like the handle, belongs to the thread that made it.
 */
public final class AutoPtr implements AutoCloseable {
    private final ApfAllocator allocator;
    private final long address;
    private final Arena scope;
    private final MemorySegment segment;

    private AutoPtr(ApfAllocator allocator, long address, long size) {
        this.allocator = allocator;
        this.address = address;
        this.scope = Arena.ofConfined();
        this.segment = MemorySegment.ofAddress(address).reinterpret(size, scope, null);
    }

    /**
     * Allocates {@code size} bytes from the shared allocator.
     *
     * @throws OutOfMemoryError         if memory is refused
     * @throws IllegalArgumentException if {@code size < 0}
     */
    public static AutoPtr allocate(long size) {
        return allocate(ApfMalloc.allocator(), size, 1);
    }

    /**
     * Allocates memory for {@code layout}, aligned as it requires, from the shared allocator.
     *
     * @throws OutOfMemoryError if memory is refused
     */
    public static AutoPtr allocate(MemoryLayout layout) {
        return allocate(ApfMalloc.allocator(), layout);
    }

    /**
     * Allocates memory for {@code layout}, aligned as it requires, from {@code allocator}.
     *
     * @throws OutOfMemoryError         if memory is refused
     * @throws IllegalArgumentException if {@code allocator} is not {@link MemoryKind#OFF_HEAP}
     */
    public static AutoPtr allocate(ApfAllocator allocator, MemoryLayout layout) {
        return allocate(allocator, layout.byteSize(), layout.byteAlignment());
    }

    private static AutoPtr allocate(ApfAllocator allocator, long size, long alignment) {
        if (allocator.memoryKind() != MemoryKind.OFF_HEAP) {
            throw new IllegalArgumentException("allocator: " + allocator.memoryKind() + " (expected: OFF_HEAP)");
        }
        long address = allocator.alignedAlloc(alignment, size);
        if (address == 0) {
            throw allocator.outOfMemory(size);
        }
        return new AutoPtr(allocator, address, size);
    }

    /** Returns the allocation's address; valid until {@link #close()}. */
    public long address() {
        return address;
    }

    /** Returns a bounds-checked view of the allocation that stops working when this handle closes. */
    public MemorySegment segment() {
        return segment;
    }

    /** Returns the size that was asked for. */
    public long byteSize() {
        return segment.byteSize();
    }

    /** Frees the allocation; a second call does nothing. Only the thread that made the handle may close it. */
    @Override
    public void close() {
        if (scope.scope().isAlive()) {
            scope.close();
            allocator.free(address);
        }
    }
}
