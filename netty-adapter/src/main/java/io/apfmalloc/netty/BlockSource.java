package io.apfmalloc.netty;

import io.apfmalloc.core.AllocatorStats;
import io.apfmalloc.core.ApfAllocator;
import io.apfmalloc.core.ApfThreadCache;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where buffers get their blocks: one core allocator, reached through the calling event loop's own cache when the
 * caller is one, and through the core's shared stripes otherwise.
 *
 * <p>An event loop's cache lives in a {@link FastThreadLocal}; Netty removes it when the loop's thread ends, and
 * {@code onRemoval} closes it, returning its blocks to the shared heap. Only threads that promise that removal
 * ({@link FastThreadLocalThread#currentThreadWillCleanupFastThreadLocals()}) get a cache, so no cache outlives its
 * thread; the core is built with {@code maxThreadCaches(0)}, so every other thread, platform or virtual, shares the
 * bounded stripes.
 */
final class BlockSource {
    private final ApfAllocator core;
    private final String kind;
    private final FastThreadLocal<ApfThreadCache> eventLoopCaches;
    private final LiveBuffers live = new LiveBuffers();
    /** Bytes of buffers too large for the core, held in storage of their own (huge heap buffers). */
    private final LongAdder unpooledBytes = new LongAdder();

    BlockSource(ApfAllocator core, String kind, boolean useEventLoopCaches) {
        this.core = core;
        this.kind = kind;
        this.eventLoopCaches = useEventLoopCaches ? new EventLoopCaches(core) : null;
    }

    ApfAllocator core() {
        return core;
    }

    /**
     * Allocates a block of at least {@code size} bytes.
     *
     * @throws OutOfMemoryError if the core's memory limit or the OS refuses
     */
    long allocate(int size) {
        ApfThreadCache cache = eventLoopCache();
        long address = cache != null ? cache.malloc(size) : core.malloc(size);
        if (address == 0) {
            AllocatorStats stats = core.stats();
            throw new OutOfMemoryError("cannot allocate " + size + " bytes of " + kind + " memory (allocated: "
                + stats.mappedBytes() + ", limit: " + stats.memoryLimit() + ")");
        }
        return address;
    }

    /** Frees a block from any thread: into the caller's event-loop cache, or a shared stripe. */
    void free(long address) {
        ApfThreadCache cache = eventLoopCache();
        if (cache != null) {
            cache.free(address);
        } else {
            core.free(address);
        }
    }

    /** Returns how many bytes the block at {@code address} holds, capped at {@link Integer#MAX_VALUE}. */
    int usableSize(long address) {
        return (int) Math.min(core.usableSize(address), Integer.MAX_VALUE);
    }

    /** Returns the calling event loop's cache, made on first use, or null when the caller is no event loop. */
    private ApfThreadCache eventLoopCache() {
        return eventLoopCaches != null && FastThreadLocalThread.currentThreadWillCleanupFastThreadLocals()
            ? eventLoopCaches.get()
            : null;
    }

    /** Returns the calling event loop's cached blocks to the shared heap; does nothing on other threads. */
    void flushCurrentThreadCache() {
        if (eventLoopCaches != null && eventLoopCaches.isSet()) {
            eventLoopCaches.get().flush();
        }
    }

    void onUnpooledAllocated(int bytes) {
        unpooledBytes.add(bytes);
    }

    void onUnpooledFreed(int bytes) {
        unpooledBytes.add(-bytes);
    }

    /** Returns the bytes held for this source's buffers: the core's mappings and any unpooled storage. */
    long heldBytes() {
        return core.stats().mappedBytes() + unpooledBytes.sum();
    }

    /** Returns the counters of this source's live buffers. */
    LiveBuffers live() {
        return live;
    }

    /** One cache per event-loop thread, named after it, closed when Netty removes the thread's locals. */
    private static final class EventLoopCaches extends FastThreadLocal<ApfThreadCache> {
        private final ApfAllocator core;

        EventLoopCaches(ApfAllocator core) {
            this.core = core;
        }

        @Override
        protected ApfThreadCache initialValue() {
            return core.newThreadCache(Thread.currentThread().getName());
        }

        @Override
        protected void onRemoval(ApfThreadCache cache) {
            cache.close();
        }
    }
}
