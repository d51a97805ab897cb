package io.apfmalloc.netty;

import io.netty.buffer.AbstractByteBufAllocator;
import java.util.Locale;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;

/**
 * JFR events named and shaped like Netty 4.2's own allocator events ({@code io.netty.AllocateBuffer},
 * {@code io.netty.FreeBuffer}, {@code io.netty.ReallocateBuffer}, {@code io.netty.AllocateChunk},
 * {@code io.netty.FreeChunk}: same names, fields, labels and category), so that a recording configured for Netty's
 * allocators shows ours too, told apart by {@code allocatorType}. Like Netty's, they are disabled by default: enable
 * them by name in a recording or a {@code .jfc} file.
 *
 * <p>Each {@code on…} method costs a static read and a check of a constant-folded flag while its event is off
 * (Netty's {@code isEventEnabled()} pattern); and nothing if Netty turned JFR off ({@code -Dio.netty.jfr.enabled}).
 * Chunk events cover the memory the adapter allocates itself: the arrays of heap buffers past the heap core's
 * largest allocation. The core's superblocks are not reported.
 */
final class BufferEvents {
    private static final boolean JFR = nettyJfrEnabled();

    private BufferEvents() {
    }

    /**
     * Returns whether Netty records its JFR events, by Netty's rule: JFR is available, unless
     * {@code -Dio.netty.jfr.enabled} says false (or no, or 0).
     */
    private static boolean nettyJfrEnabled() {
        String setting = System.getProperty("io.netty.jfr.enabled", "true").strip().toLowerCase(Locale.ROOT);
        return ApfJfr.isAvailable() && !setting.equals("false") && !setting.equals("no") && !setting.equals("0");
    }

    /** A buffer was allocated, or moved to a new block by a resize (after {@link #onReallocate}). */
    static void onAllocate(ApfByteBuf buffer, boolean threadLocal) {
        if (JFR && AllocateBuffer.isEventEnabled()) {
            AllocateBuffer event = new AllocateBuffer();
            if (event.shouldCommit()) {
                event.fill(buffer);
                event.chunkPooled = buffer.pooledBlock();
                event.chunkThreadLocal = threadLocal;
                event.commit();
            }
        }
    }

    /** A buffer is about to be freed; its reference count is already 0. */
    static void onFree(ApfByteBuf buffer) {
        if (JFR && FreeBuffer.isEventEnabled()) {
            FreeBuffer event = new FreeBuffer();
            if (event.shouldCommit()) {
                event.fill(buffer);
                event.commit();
            }
        }
    }

    /** A buffer is about to move to a new block of {@code newCapacity} bytes. */
    static void onReallocate(ApfByteBuf buffer, int newCapacity) {
        if (JFR && ReallocateBuffer.isEventEnabled()) {
            ReallocateBuffer event = new ReallocateBuffer();
            if (event.shouldCommit()) {
                event.fill(buffer);
                event.newCapacity = newCapacity;
                event.commit();
            }
        }
    }

    /** The adapter allocated an array of its own for one heap buffer. */
    static void onAllocateOwnArray(int capacity) {
        if (JFR && AllocateChunk.isEventEnabled()) {
            AllocateChunk event = new AllocateChunk();
            if (event.shouldCommit()) {
                event.fill(capacity);
                event.commit();
            }
        }
    }

    /** A heap buffer let go of its own array. */
    static void onFreeOwnArray(int capacity) {
        if (JFR && FreeChunk.isEventEnabled()) {
            FreeChunk event = new FreeChunk();
            if (event.shouldCommit()) {
                event.fill(capacity);
                event.commit();
            }
        }
    }

    /** What every event says: which allocator. */
    @Enabled(false)
    @Category("Netty")
    abstract static class AllocatorEvent extends Event {
        @Label("Allocator type")
        @Description("The type of allocator this event is for")
        public Class<? extends AbstractByteBufAllocator> allocatorType;
    }

    /** A buffer's figures at the moment of the event. */
    abstract static class BufferEvent extends AllocatorEvent {
        @DataAmount
        @Description("Configured buffer capacity")
        public int size;
        @DataAmount
        @Description("Actual allocated buffer capacity")
        public int maxFastCapacity;
        @DataAmount
        @Description("Maximum buffer capacity")
        public int maxCapacity;
        @Description("Is this buffer referencing off-heap memory?")
        public boolean direct;
        @Description("The memory address of the off-heap memory, if available")
        @MemoryAddress
        public long address;

        /** Reads the buffer's fields without the accessibility checks (a released buffer is reported too). */
        final void fill(ApfByteBuf buffer) {
            allocatorType = ApfByteBufAllocator.class;
            size = buffer.capacity();
            maxFastCapacity = Math.min(buffer.blockSize(), buffer.maxCapacity());
            maxCapacity = buffer.maxCapacity();
            direct = buffer.isDirect();
            address = buffer.blockAddress();
        }
    }

    /** Netty's {@code io.netty.AllocateBuffer}. */
    @Label("Buffer Allocation")
    @Name("io.netty.AllocateBuffer")
    @Description("Triggered when a buffer is allocated (or reallocated) from an allocator")
    static final class AllocateBuffer extends BufferEvent {
        private static final AllocateBuffer INSTANCE = new AllocateBuffer();

        @Description("Is this chunk pooled, or is it a one-off allocation for this buffer?")
        public boolean chunkPooled;
        @Description("Is this buffer's chunk part of a thread-local magazine or arena?")
        public boolean chunkThreadLocal;

        static boolean isEventEnabled() {
            return INSTANCE.isEnabled();
        }
    }

    /** Netty's {@code io.netty.FreeBuffer}. */
    @Label("Buffer Deallocation")
    @Name("io.netty.FreeBuffer")
    @Description("Triggered when a buffer is freed from an allocator")
    static final class FreeBuffer extends BufferEvent {
        private static final FreeBuffer INSTANCE = new FreeBuffer();

        static boolean isEventEnabled() {
            return INSTANCE.isEnabled();
        }
    }

    /** Netty's {@code io.netty.ReallocateBuffer}. */
    @Label("Buffer Reallocation")
    @Name("io.netty.ReallocateBuffer")
    @Description("Triggered when a buffer is reallocated for resizing in an allocator. "
        + "Will be followed by an AllocateBufferEvent")
    static final class ReallocateBuffer extends BufferEvent {
        private static final ReallocateBuffer INSTANCE = new ReallocateBuffer();

        @DataAmount
        @Description("Targeted buffer capacity")
        public int newCapacity;

        static boolean isEventEnabled() {
            return INSTANCE.isEnabled();
        }
    }

    /** A chunk's figures: here always an array of one heap buffer's own. */
    abstract static class ChunkEvent extends AllocatorEvent {
        @DataAmount
        @Description("Size of the chunk")
        public int capacity;
        @Description("Is this chunk referencing off-heap memory?")
        public boolean direct;
        @Description("The memory address of the off-heap memory, if available")
        @MemoryAddress
        public long address;

        final void fill(int arrayLength) {
            allocatorType = ApfByteBufAllocator.class;
            capacity = arrayLength;
        }
    }

    /** Netty's {@code io.netty.AllocateChunk}. */
    @Name("io.netty.AllocateChunk")
    @Label("Chunk Allocation")
    @Description("Triggered when a new memory chunk is allocated for an allocator")
    static final class AllocateChunk extends ChunkEvent {
        private static final AllocateChunk INSTANCE = new AllocateChunk();

        @Description("Is this chunk pooled, or is it a one-off allocation for a single buffer?")
        public boolean pooled;
        @Description("Is this chunk part of a thread-local magazine or arena?")
        public boolean threadLocal;

        static boolean isEventEnabled() {
            return INSTANCE.isEnabled();
        }
    }

    /** Netty's {@code io.netty.FreeChunk}. */
    @Name("io.netty.FreeChunk")
    @Label("Chunk Free")
    @Description("Triggered when a memory chunk is freed from an allocator")
    static final class FreeChunk extends ChunkEvent {
        private static final FreeChunk INSTANCE = new FreeChunk();

        @Description("Was this chunk pooled, or was it a one-off allocation for a single buffer?")
        public boolean pooled;

        static boolean isEventEnabled() {
            return INSTANCE.isEnabled();
        }
    }
}
