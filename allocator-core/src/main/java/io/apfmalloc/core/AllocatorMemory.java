package io.apfmalloc.core;

import io.apfmalloc.core.internal.heap.Heap;
import io.apfmalloc.core.internal.heap.SuperblockArena;
import io.apfmalloc.core.internal.os.ArrayMemorySource;
import io.apfmalloc.core.internal.os.FaultInjectingMemorySource;
import io.apfmalloc.core.internal.os.MemoryLimit;
import io.apfmalloc.core.internal.os.MemorySource;
import io.apfmalloc.core.internal.os.OsMemory;
import io.apfmalloc.core.internal.os.RawMemory;
import io.apfmalloc.core.internal.superblock.ArrayLinkStore;
import io.apfmalloc.core.internal.superblock.OffHeapLinkStore;
import java.lang.foreign.MemorySegment;

/**
 * Where an allocator's memory lives and how its bytes are reached: the strategy behind a {@link MemoryKind}, chosen
 * once per allocator together with the heap's {@link MemorySource} and link store. Off the malloc/free path: only
 * {@code realloc}'s copy and the accessors of {@link ApfAllocator} ({@code array}, {@code segment}, ...) call it.
 */
sealed interface AllocatorMemory {
    /** Returns the strategy for {@code kind}; a {@link MemoryKind#HEAP} one owns its array source. */
    static AllocatorMemory of(MemoryKind kind) {
        return kind == MemoryKind.HEAP ? new OnHeap(new ArrayMemorySource()) : OffHeap.INSTANCE;
    }

    /** Returns the kind this strategy implements. */
    MemoryKind kind();

    /**
     * Makes the heap over this memory.
     *
     * @param limit         the memory limit every mapping is reserved against
     * @param faultInjector refuses mappings for tests, or null
     * @param checked       whether superblocks track which blocks are with users
     * @param retainBytes   bytes of wholly free superblocks kept mapped for reuse
     * @param retainMillis  how long wholly free superblocks past {@code retainBytes} stay mapped too
     */
    Heap newHeap(MemoryLimit limit, MemoryFaultInjector faultInjector, boolean checked, long retainBytes,
                 long retainMillis);

    /** Copies {@code bytes} bytes from the allocation at {@code source} to the one at {@code target}. */
    void copy(long source, long target, long bytes);

    /** Returns the array holding {@code address}; see {@link ApfAllocator#array}. */
    byte[] array(long address);

    /** Returns where {@code address} starts in its array; see {@link ApfAllocator#arrayOffset}. */
    int arrayOffset(long address);

    /** Returns a bounds-checked segment over {@code size} bytes at {@code address}. */
    MemorySegment segment(long address, long size);

    /** Returns the largest single allocation this memory can hold. */
    long maxAllocationSize();

    private static MemorySource withFaults(MemorySource source, MemoryFaultInjector injector) {
        return injector == null ? source : new FaultInjectingMemorySource(source, injector::refuseMapping);
    }

    /** Native memory from the OS: superblocks carved from a reserved arena, links read with raw accesses. */
    final class OffHeap implements AllocatorMemory {
        static final OffHeap INSTANCE = new OffHeap();

        private OffHeap() {
        }

        @Override
        public MemoryKind kind() {
            return MemoryKind.OFF_HEAP;
        }

        @Override
        public Heap newHeap(MemoryLimit limit, MemoryFaultInjector faultInjector, boolean checked, long retainBytes,
                            long retainMillis) {
            // Injected faults refuse mappings, so an allocator under test maps each superblock alone.
            SuperblockArena superblocks = faultInjector == null
                ? SuperblockArena.reserve(OsMemory.INSTANCE, limit.limit())
                : SuperblockArena.NONE;
            return new Heap(superblocks, withFaults(OsMemory.INSTANCE, faultInjector), limit,
                OffHeapLinkStore.INSTANCE, checked, retainBytes, retainMillis);
        }

        @Override
        public void copy(long source, long target, long bytes) {
            RawMemory.copy(source, target, bytes);
        }

        @Override
        public byte[] array(long address) {
            throw noArrays();
        }

        @Override
        public int arrayOffset(long address) {
            throw noArrays();
        }

        private static IllegalStateException noArrays() {
            return new IllegalStateException("an off-heap allocator has no arrays");
        }

        @Override
        public MemorySegment segment(long address, long size) {
            return MemorySegment.ofAddress(address).reinterpret(size);
        }

        @Override
        public long maxAllocationSize() {
            return Heap.MAX_LARGE_SIZE;
        }
    }

    /** Pooled {@code byte[]} superblocks on the Java heap, at synthetic addresses of one {@link ArrayMemorySource}. */
    final class OnHeap implements AllocatorMemory {
        private final ArrayMemorySource arrays;

        private OnHeap(ArrayMemorySource arrays) {
            this.arrays = arrays;
        }

        @Override
        public MemoryKind kind() {
            return MemoryKind.HEAP;
        }

        @Override
        public Heap newHeap(MemoryLimit limit, MemoryFaultInjector faultInjector, boolean checked, long retainBytes,
                            long retainMillis) {
            return new Heap(SuperblockArena.NONE, withFaults(arrays, faultInjector), limit, new ArrayLinkStore(arrays),
                checked, retainBytes, retainMillis);
        }

        @Override
        public void copy(long source, long target, long bytes) {
            System.arraycopy(arrays.array(source), ArrayMemorySource.offset(source), arrays.array(target),
                ArrayMemorySource.offset(target), (int) bytes);
        }

        @Override
        public byte[] array(long address) {
            return arrays.array(address);
        }

        @Override
        public int arrayOffset(long address) {
            return ArrayMemorySource.offset(address);
        }

        @Override
        public MemorySegment segment(long address, long size) {
            return MemorySegment.ofArray(arrays.array(address)).asSlice(ArrayMemorySource.offset(address), size);
        }

        @Override
        public long maxAllocationSize() {
            return ArrayMemorySource.SLOT_SIZE;
        }
    }
}
