package io.apfmalloc.netty;

import io.apfmalloc.core.AllocatorStats;
import io.apfmalloc.core.ApfAllocator;
import io.apfmalloc.core.ApfThreadCache;
import io.apfmalloc.core.HeapAudit;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where buffers get their blocks: one core allocator, reached through the calling event loop's own cache when the
 * caller is one, and through the core's shared stripes otherwise. It also counts the live buffers.
 *
 * <p>An event loop's cache lives in a {@link FastThreadLocal}; Netty removes it when the loop's thread ends, and
 * {@code onRemoval} closes it, returning its blocks to the shared heap. Only threads that promise that removal
 * ({@link FastThreadLocalThread#currentThreadWillCleanupFastThreadLocals()}) get a cache, so no cache outlives its
 * thread; the core is built with {@code maxThreadCaches(0)}, so every other thread, platform or virtual, shares the
 * bounded stripes.
 */
final class BlockSource {
    /**
     * Released buffer shells an event loop keeps for its next allocations (per kind of memory): enough for the
     * buffers of a burst of reads and writes, about 100 bytes each; past it, released shells are left to the GC.
     */
    static final int SHELLS_PER_EVENT_LOOP = 256;

    private final ApfAllocator core;
    private final String kind;
    /** The largest block the core serves; larger heap buffers get storage of their own. */
    private final long maxBlockSize;
    private final ShellFactory shells;
    private final EventLoops eventLoops;
    private final LiveBuffers live = new LiveBuffers();
    /** Bytes of buffers too large for the core, held in storage of their own (huge heap buffers). */
    private final LongAdder unpooledBytes = new LongAdder();
    /** How many buffers hold such storage now. */
    private final LongAdder unpooledBuffers = new LongAdder();

    /**
     * Makes a source over {@code core}.
     *
     * @param idleTrimMillis how often an event loop checks whether it allocated since its last check, and if not
     *                       gives its cached blocks back (0: never)
     */
    BlockSource(ApfAllocator core, String kind, boolean useEventLoopCaches, long idleTrimMillis, ShellFactory shells) {
        this.core = core;
        this.kind = kind;
        this.maxBlockSize = core.maxAllocationSize();
        this.shells = shells;
        this.eventLoops = useEventLoopCaches ? new EventLoops(core, live, idleTrimMillis) : null;
    }

    /** Makes the empty buffer shells of one kind. */
    interface ShellFactory {
        /** Returns a new shell of {@code source}'s kind, without a block. */
        ApfByteBuf newShell(BlockSource source, int maxCapacity);
    }

    ApfAllocator core() {
        return core;
    }

    /** Returns whether the core serves blocks of {@code size} bytes; larger ones need storage of their own. */
    boolean pools(int size) {
        return size <= maxBlockSize;
    }

    /** Returns how many bytes a block for {@code size} bytes holds, capped at {@link Integer#MAX_VALUE}. */
    static int blockSizeFor(int size) {
        return (int) Math.min(ApfAllocator.usableSizeFor(size), Integer.MAX_VALUE);
    }

    /**
     * Returns a new buffer of {@code initialCapacity} bytes, counted live: on an event loop, a shell it recycled
     * and a block of its cache; elsewhere, a new shell and a block of the shared stripes.
     *
     * @throws OutOfMemoryError if the core's memory limit or the OS refuses
     */
    ApfByteBuf newBuffer(int initialCapacity, int maxCapacity) {
        EventLoop loop = eventLoop();
        ApfByteBuf buffer = loop != null ? loop.pollShell() : null;
        if (buffer == null) {
            buffer = shells.newShell(this, maxCapacity);
        } else {
            buffer.reuse(maxCapacity);
        }
        buffer.takeBlock(loop, initialCapacity);
        if (loop != null && !loop.allocatedSinceCheck) {
            eventLoops.onActive(loop);
        }
        count(loop, 1, initialCapacity);
        BufferEvents.onAllocate(buffer, loop != null);
        return buffer;
    }

    /**
     * Frees the block of {@code buffer}, released at {@code capacity} bytes, from any thread, and counts it gone;
     * an event loop keeps the shell for reuse (the reference count is 0, so stale references fail as before until
     * the shell is reused).
     */
    void releaseBuffer(ApfByteBuf buffer, int capacity) {
        BufferEvents.onFree(buffer);
        EventLoop loop = eventLoopOf(buffer);
        buffer.loop = null;
        buffer.freeBlock(loop);
        count(loop, -1, -capacity);
        if (loop != null) {
            loop.offerShell(buffer);
        }
    }

    /**
     * Allocates a block of at least {@code size} bytes through {@code loop}'s cache, or the stripes when null.
     *
     * @throws OutOfMemoryError if the core's memory limit or the OS refuses
     */
    long allocate(EventLoop loop, int size) {
        long address = loop != null ? loop.cache.malloc(size) : core.malloc(size);
        if (address == 0) {
            AllocatorStats stats = core.stats();
            throw new OutOfMemoryError("cannot allocate " + size + " bytes of " + kind + " memory (allocated: "
                + stats.mappedBytes() + ", limit: " + stats.memoryLimit() + ")");
        }
        return address;
    }

    /**
     * Frees a block that {@link #allocate} returned for {@code size} bytes, through {@code loop}'s cache, or a shared
     * stripe when null, whichever thread allocated it. The size spares the core its owner lookup.
     */
    void free(EventLoop loop, long address, int size) {
        if (loop != null) {
            loop.cache.freeSized(address, size);
        } else {
            core.freeSized(address, size);
        }
    }

    /** Counts a buffer's change of capacity on {@code loop} (or the shared counts when null). */
    void countResize(EventLoop loop, int oldCapacity, int newCapacity) {
        count(loop, 0, (long) newCapacity - oldCapacity);
    }

    private void count(EventLoop loop, int buffers, long bytes) {
        if (loop != null) {
            loop.add(buffers, bytes);
        } else {
            live.addShared(buffers, bytes);
        }
    }

    /**
     * Returns the calling event loop's state, or null: the loop that allocated {@code buffer} if the caller is that
     * loop (one compare, the common case of a buffer read and released on one loop), else {@link #eventLoop()}.
     */
    EventLoop eventLoopOf(ApfByteBuf buffer) {
        EventLoop loop = buffer.loop;
        return loop != null && loop.owner == Thread.currentThread() ? loop : eventLoop();
    }

    /** Returns the calling event loop's state, made on first use, or null when the caller is no event loop. */
    EventLoop eventLoop() {
        return eventLoops != null && FastThreadLocalThread.currentThreadWillCleanupFastThreadLocals()
            ? eventLoops.get()
            : null;
    }

    /**
     * Returns the calling event loop's cached blocks to the shared heap; does nothing on other threads.
     *
     * @return whether the caller has a cache and it held any block
     */
    boolean flushCurrentThreadCache() {
        return eventLoops != null && eventLoops.isSet() && eventLoops.get().cache.flush();
    }

    void onUnpooledAllocated(int bytes) {
        unpooledBytes.add(bytes);
        unpooledBuffers.increment();
    }

    void onUnpooledFreed(int bytes) {
        unpooledBytes.add(-bytes);
        unpooledBuffers.decrement();
    }

    /**
     * Runs the core's invariant checker and checks that the core's allocations with users are exactly this source's
     * live pooled buffers (one block each). Only while no thread allocates, resizes or releases buffers of it.
     *
     * @param problems where to add what is wrong, each prefixed with this source's kind
     * @return the core's audit
     */
    HeapAudit audit(List<String> problems) {
        HeapAudit audit = core.audit();
        for (String problem : audit.problems()) {
            problems.add(kind + ": " + problem);
        }
        long pooledBuffers = live.buffers() - unpooledBuffers.sum();
        if (audit.allocationsWithUsers() != pooledBuffers) {
            problems.add(kind + ": " + audit.allocationsWithUsers() + " blocks are with users, but "
                + pooledBuffers + " pooled buffers are live");
        }
        return audit;
    }

    /** Returns how many live buffers hold storage of their own rather than a block of the core. */
    long unpooledBuffers() {
        return unpooledBuffers.sum();
    }

    /** Returns the bytes held for this source's buffers: the core's mappings and any unpooled storage. */
    long heldBytes() {
        return core.stats().mappedBytes() + unpooledBytes.sum();
    }

    /** Returns the counters of this source's live buffers. */
    LiveBuffers live() {
        return live;
    }

    /**
     * What one event loop keeps: its own core cache, its share of the live-buffer counts, and a bounded stack of
     * released shells. Only its thread touches the cache and the shells.
     */
    static final class EventLoop extends LiveBuffers.Counts {
        final ApfThreadCache cache;
        /**
         * The loop's thread; null once Netty removed the thread's locals and the cache closed. Deliberately racy:
         * other threads read it without ordering, and only the owner itself can ever find it equal to its thread.
         */
        Thread owner = Thread.currentThread();
        private final ApfByteBuf[] shells = new ApfByteBuf[SHELLS_PER_EVENT_LOOP];
        private int shellCount;
        /** Whether the loop allocated a buffer since its last idle check; only its thread reads and writes it. */
        boolean allocatedSinceCheck;
        /** The idle check scheduled on the loop's executor, or null while none is pending. Loop thread only. */
        private ScheduledFuture<?> pendingCheck;
        /** Whether the loop's executor can run idle checks on this thread; cleared for good on the first failure. */
        private boolean checksSupported = true;
        /** Whether the last idle check found nothing allocated since the one before; read by the other loops. */
        private volatile boolean idle;

        EventLoop(ApfThreadCache cache) {
            this.cache = cache;
        }

        /** Returns the shell released last, or null. */
        ApfByteBuf pollShell() {
            if (shellCount == 0) {
                return null;
            }
            ApfByteBuf shell = shells[--shellCount];
            shells[shellCount] = null;
            return shell;
        }

        /** Keeps a released shell while there is room. */
        void offerShell(ApfByteBuf shell) {
            if (shellCount < shells.length) {
                shells[shellCount++] = shell;
            }
        }
    }

    /**
     * One state per event-loop thread, its cache named after it, closed when Netty removes the thread's locals.
     *
     * <p>An idle loop gives its cache back: a loop that Netty runs as an executor ({@code ThreadExecutorMap}) schedules
     * a one-shot check {@code idleTrimMillis} after its first allocation; a check that finds nothing allocated since
     * the one before flushes the cache to the shared heap (superblocks whose blocks all came back are unmapped at
     * once, up to the retention budget) and schedules no other until the loop allocates again, so an idle loop is
     * never woken and an executor whose thread stops when idle (Netty's {@code GlobalEventExecutor}) can stop. When
     * every checking loop is idle, the last one also trims the core: the shared stripes and the retained
     * superblocks. The check runs on the loop, the only thread that may touch its cache.
     *
     * <p>The checks are optional machinery and never fail an allocation: an executor that cannot schedule (an
     * {@code AbstractEventExecutor} without scheduling throws {@link UnsupportedOperationException}), one that is
     * shutting down, or one that runs the check on another thread turns the checks off for that loop, whose cache
     * then stays until its thread ends or {@link ApfByteBufAllocator#trimCurrentThreadCache} is called on it.
     */
    private static final class EventLoops extends FastThreadLocal<EventLoop> {
        private final ApfAllocator core;
        private final LiveBuffers live;
        private final long idleTrimMillis;
        /** The loops that check themselves; the core is trimmed once all of them found themselves idle. */
        private final Set<EventLoop> checking = ConcurrentHashMap.newKeySet();

        EventLoops(ApfAllocator core, LiveBuffers live, long idleTrimMillis) {
            this.core = core;
            this.live = live;
            this.idleTrimMillis = idleTrimMillis;
        }

        @Override
        protected EventLoop initialValue() {
            EventLoop loop = new EventLoop(core.newThreadCache(Thread.currentThread().getName()));
            loop.checksSupported = idleTrimMillis > 0 && ThreadExecutorMap.currentExecutor() != null;
            live.register(loop);
            return loop;
        }

        /** On {@code loop}'s thread, at its first allocation since its last idle check: arms the next check. */
        void onActive(EventLoop loop) {
            loop.allocatedSinceCheck = true;
            loop.idle = false;
            if (loop.pendingCheck == null && loop.checksSupported) {
                scheduleCheck(loop);
            }
        }

        private void scheduleCheck(EventLoop loop) {
            EventExecutor executor = ThreadExecutorMap.currentExecutor();
            checking.add(loop);
            try {
                loop.pendingCheck = executor.schedule(() -> checkIdle(loop), idleTrimMillis, TimeUnit.MILLISECONDS);
            } catch (RuntimeException cannotSchedule) {
                // RejectedExecutionException while the executor shuts down, UnsupportedOperationException from one
                // that never schedules: the loop keeps its cache until its thread ends.
                stopChecks(loop);
            }
        }

        /** Run by the loop's executor: gives the cache back if the loop allocated nothing since the last check. */
        private void checkIdle(EventLoop loop) {
            if (loop.owner != Thread.currentThread()) {
                // Another thread must not touch the loop's cache. The check stays pending for the loop, which so
                // never schedules another, and no longer holds back the core's trims; an ended loop (owner null)
                // has nothing left to check.
                checking.remove(loop);
                return;
            }
            loop.pendingCheck = null;
            if (loop.allocatedSinceCheck) {
                loop.allocatedSinceCheck = false;
                scheduleCheck(loop);
                return;
            }
            loop.idle = true;
            loop.cache.flush();
            if (checking.stream().allMatch(other -> other.idle)) {
                core.trim();
            }
        }

        private void stopChecks(EventLoop loop) {
            loop.checksSupported = false;
            loop.pendingCheck = null;
            checking.remove(loop);
        }

        @Override
        protected void onRemoval(EventLoop loop) {
            if (loop.pendingCheck != null) {
                loop.pendingCheck.cancel(false);
            }
            stopChecks(loop);
            loop.owner = null;
            live.unregister(loop);
            loop.cache.close();
        }
    }
}
