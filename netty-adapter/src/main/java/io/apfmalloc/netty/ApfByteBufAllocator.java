package io.apfmalloc.netty;

import io.apfmalloc.core.ApfAllocator;
import io.apfmalloc.core.HeapAudit;
import io.apfmalloc.core.MemoryFaultInjector;
import io.apfmalloc.core.MemoryKind;
import io.apfmalloc.core.Setting;
import io.apfmalloc.core.TuningPolicy;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A Netty {@link io.netty.buffer.ByteBufAllocator} whose buffers are blocks of the apfmalloc core: lock-free
 * size classes from 8 B to 1 MiB, thread caches sized by APF tuning, memory returned to the OS when superblocks
 * empty. Adopt it with {@code ServerBootstrap.childOption(ChannelOption.ALLOCATOR, ApfByteBufAllocator.DEFAULT)}.
 *
 * <p>Each event-loop thread (a {@code FastThreadLocalThread} that cleans up its thread locals) gets a core cache of
 * its own, closed when the loop ends; every other thread, platform or virtual, shares the core's striped caches, so
 * thousands of threads do not each hoard memory. A buffer may be released on any thread. A loop that allocates
 * nothing for a while ({@link Builder#idleTrimMillis}, 10 s) gives its cache back, and once all are idle the cores
 * return what they keep for reuse, so an idle server's memory goes back to the OS.
 *
 * <p>Heap buffers are slices of pooled {@code byte[]} superblocks of a second core of the heap kind, managed the
 * same way.
 *
 * <p>Every buffer goes through Netty's leak detector. All methods may be called from any thread.
 */
public final class ApfByteBufAllocator extends AbstractByteBufAllocator implements ByteBufAllocatorMetricProvider {
    private static final InternalLogger LOGGER = InternalLoggerFactory.getInstance(ApfByteBufAllocator.class);
    /** The default of {@link Builder#idleTrimMillis}: 10 s. */
    private static final long DEFAULT_IDLE_TRIM_MILLIS = 10_000;
    /** The setting of {@link Builder#idleTrimMillis}: milliseconds, 0 to turn the checks off. */
    static final Setting<Long> IDLE_TRIM_MILLIS =
        Setting.number("idleTrimMillis", "apfmalloc.idleTrimMillis", 0, Long.MAX_VALUE);

    /**
     * The shared instance: direct buffers by default unless {@code -Dio.netty.noPreferDirect=true}, core settings
     * from the {@code apfmalloc.*} system properties (see {@link ApfAllocator.Builder}). If one of them holds a bad
     * value, every method of this instance throws {@link IllegalStateException} naming the property, its text and
     * the accepted form, while this class and its builder stay usable.
     */
    public static final ApfByteBufAllocator DEFAULT = newDefault();

    /** Null only in a {@link #DEFAULT} that its system properties did not allow to be made. */
    private final BlockSource direct;
    private final BlockSource heap;
    private final ApfByteBufAllocatorMetric metric;
    /** Why {@link #DEFAULT} could not be made, or null. */
    private final IllegalArgumentException badSetting;

    /** Makes an allocator that prefers direct buffers where Netty does; core settings from system properties. */
    public ApfByteBufAllocator() {
        this(PlatformDependent.directBufferPreferred());
    }

    /**
     * Makes an allocator with core settings from system properties.
     *
     * @param preferDirect whether {@link #buffer()} and {@link #ioBuffer()} return direct buffers
     */
    public ApfByteBufAllocator(boolean preferDirect) {
        this(builder().preferDirect(preferDirect));
    }

    private ApfByteBufAllocator(Builder builder) {
        super(builder.preferDirect);
        long idleTrimMillis = IDLE_TRIM_MILLIS.resolve(builder.idleTrimMillis, DEFAULT_IDLE_TRIM_MILLIS);
        this.direct = new BlockSource(builder.directCore().maxThreadCaches(0).build(), "direct",
            builder.useEventLoopCaches, idleTrimMillis,
            (source, maxCapacity) -> new ApfDirectByteBuf(this, source, maxCapacity));
        this.heap = new BlockSource(builder.heap.maxThreadCaches(0).memoryKind(MemoryKind.HEAP).build(), "heap",
            builder.useEventLoopCaches, idleTrimMillis,
            (source, maxCapacity) -> new ApfHeapByteBuf(this, source, maxCapacity));
        this.metric = new ApfByteBufAllocatorMetric(direct, heap);
        this.badSetting = null;
        LOGGER.debug("apfmalloc buffers: preferDirect {}, useEventLoopCaches {}, idleTrimMillis {}",
            builder.preferDirect, builder.useEventLoopCaches, idleTrimMillis);
    }

    /** A {@link #DEFAULT} that cannot allocate because of {@code badSetting}. */
    private ApfByteBufAllocator(IllegalArgumentException badSetting) {
        super(PlatformDependent.directBufferPreferred());
        this.direct = null;
        this.heap = null;
        this.metric = null;
        this.badSetting = badSetting;
    }

    private static ApfByteBufAllocator newDefault() {
        try {
            return new ApfByteBufAllocator();
        } catch (IllegalArgumentException badSetting) {
            LOGGER.error("ApfByteBufAllocator.DEFAULT cannot be made: {}", badSetting.getMessage());
            return new ApfByteBufAllocator(badSetting);
        }
    }

    /** Returns what every method of a {@link #DEFAULT} that could not be made throws. */
    private IllegalStateException misconfigured() {
        return new IllegalStateException("ApfByteBufAllocator.DEFAULT cannot be made: " + badSetting.getMessage(),
            badSetting);
    }

    /** Returns {@link #direct}, checked: a JIT-folded null check on the allocation path. */
    private BlockSource direct() {
        BlockSource source = direct;
        if (source == null) {
            throw misconfigured();
        }
        return source;
    }

    /** Returns {@link #heap}, checked as {@link #direct()}. */
    private BlockSource heap() {
        BlockSource source = heap;
        if (source == null) {
            throw misconfigured();
        }
        return source;
    }

    /** Returns a builder whose core settings default to the {@code apfmalloc.*} system properties. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return toLeakAwareBuffer(direct().newBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return toLeakAwareBuffer(heap().newBuffer(initialCapacity, maxCapacity));
    }

    /** Returns true: direct buffers are blocks of the core's pooled memory. */
    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    @Override
    public ApfByteBufAllocatorMetric metric() {
        if (metric == null) {
            throw misconfigured();
        }
        return metric;
    }

    /**
     * Returns a human-readable, multi-line report of both cores, as Netty's
     * {@code PooledByteBufAllocator.dumpStats()}: per core (direct, then heap) the memory figures, the bins summed
     * per size class with their APF record, and every cache (each event loop's and the shared stripes) with its
     * bins. Read without stopping other threads; any thread may call.
     */
    public String dumpStats() {
        return StatsDump.of(metric);
    }

    /** Returns the core behind direct buffers; for tests and benchmarks in this package. */
    ApfAllocator directCore() {
        return direct().core();
    }

    /** Returns the core behind heap buffers; for tests and benchmarks in this package. */
    ApfAllocator heapCore() {
        return heap().core();
    }

    /**
     * Returns the cached blocks of the calling event loop to the shared heap, so that other threads can reuse them;
     * does nothing on other threads. As Netty's {@code PooledByteBufAllocator.trimCurrentThreadCache()}, says
     * whether it did something; unlike it, a loop whose cache is already empty gets false.
     *
     * @return whether the caller is an event loop whose cache held blocks, now given back
     */
    public boolean trimCurrentThreadCache() {
        boolean directReturned = direct().flushCurrentThreadCache();
        return heap().flushCurrentThreadCache() || directReturned;
    }

    /**
     * Returns what can be returned now: the calling event loop's cache and the shared stripes are flushed, and
     * every wholly free superblock goes back to the OS. Other event loops keep their caches until they end or trim.
     */
    public void trim() {
        trimCurrentThreadCache();
        direct().core().trim();
        heap().core().trim();
    }

    /**
     * Runs the invariant checker of both cores ({@link HeapAudit}) and checks that their allocations with users are
     * exactly the live buffers: a block lost, counted twice or freed but still in use shows as a problem. Cheap enough
     * to run every few seconds (about a millisecond per 10,000 free blocks).
     *
     * <p>Call only while no thread allocates, resizes or releases buffers of this allocator, and after a
     * happens-before edge from every thread that did: with every event loop that uses it parked (each running a task
     * that waits on a latch the caller opens afterwards), or after they have shut down.
     *
     * @return both cores' audits and the problems found, if any
     */
    public BufferAudit audit() {
        List<String> problems = new ArrayList<>();
        HeapAudit directAudit = direct().audit(problems);
        HeapAudit heapAudit = heap().audit(problems);
        return new BufferAudit(directAudit, heapAudit, direct().live().buffers(),
            heap().live().buffers() - heap().unpooledBuffers(), List.copyOf(problems));
    }

    /**
     * Settings of an {@link ApfByteBufAllocator}: whether it prefers direct buffers, whether event loops get their
     * own caches, and the core's settings (each documented on {@link ApfAllocator.Builder}, with its default and
     * system property). The core always runs with {@code maxThreadCaches(0)}: only event loops have caches.
     */
    public static final class Builder {
        private final ApfAllocator.Builder direct = ApfAllocator.builder();
        private final ApfAllocator.Builder heap = ApfAllocator.builder();
        private boolean preferDirect = PlatformDependent.directBufferPreferred();
        private boolean useEventLoopCaches = true;
        /** Null: unset, so {@code apfmalloc.idleTrimMillis} or the default decides at {@link #build}. */
        private Long idleTrimMillis;

        /** Whether {@link #maxDirectMemory} was called: then Netty's property is not read. */
        private boolean directLimitSet;

        private Builder() {
        }

        /**
         * At build time: a positive {@code io.netty.maxDirectMemory} becomes the direct core's limit unless
         * {@link #maxDirectMemory} or {@code apfmalloc.maxMemory} says otherwise.
         */
        private ApfAllocator.Builder directCore() {
            if (!directLimitSet && System.getProperty(ApfAllocator.Builder.MAX_MEMORY.property()) == null) {
                long nettyLimit = nettyMaxDirectMemory();
                if (nettyLimit > 0) {
                    direct.maxMemory(nettyLimit);
                }
            }
            return direct;
        }

        /**
         * Returns Netty's {@code -Dio.netty.maxDirectMemory} in bytes, or -1 when unset. A positive value is the
         * direct core's default limit, as it bounds the direct memory of Netty's own allocators; 0 and negative
         * values mean, to Netty, the JVM's limit, which is the core's default anyway. {@code apfmalloc.maxMemory}
         * and {@link #maxDirectMemory} take precedence.
         *
         * @throws IllegalArgumentException if it is not a whole number of bytes (Netty's form: no suffix)
         */
        private static long nettyMaxDirectMemory() {
            String value = System.getProperty("io.netty.maxDirectMemory");
            if (value == null) {
                return -1;
            }
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("io.netty.maxDirectMemory: " + value
                    + " (expected: a number of bytes, as Netty reads it)", e);
            }
        }

        /** Sets whether {@code buffer()} and {@code ioBuffer()} return direct buffers (default: Netty's choice). */
        public Builder preferDirect(boolean preferDirect) {
            this.preferDirect = preferDirect;
            return this;
        }

        /**
         * Sets whether event-loop threads allocate through a cache of their own (default true). Off, every thread
         * shares the core's striped caches.
         */
        public Builder useEventLoopCaches(boolean useEventLoopCaches) {
            this.useEventLoopCaches = useEventLoopCaches;
            return this;
        }

        /**
         * Sets how often an event loop checks whether it allocated a buffer since its last check; a loop that did not
         * gives its cached blocks back to the shared heap, and once every loop is idle the cores are trimmed (shared
         * stripes, retained superblocks), so an idle server returns a burst's memory to the OS by itself. 10 s by
         * default ({@code apfmalloc.idleTrimMillis}), as jemalloc's decay of unused pages; 0 turns it off. Only loops
         * that Netty runs as executors check ({@code ThreadExecutorMap}, as Netty's pooled allocator schedules its
         * cache trims).
         */
        public Builder idleTrimMillis(long millis) {
            this.idleTrimMillis = IDLE_TRIM_MILLIS.check(millis);
            return this;
        }

        /**
         * Sets the most direct memory the direct core may map from the OS (default: {@code apfmalloc.maxMemory},
         * else a positive {@code io.netty.maxDirectMemory}, else {@code MaxDirectMemorySize}); see
         * {@link ApfAllocator.Builder#maxMemory}.
         */
        public Builder maxDirectMemory(long bytes) {
            direct.maxMemory(bytes);
            directLimitSet = true;
            return this;
        }

        /** Sets the most Java heap the heap core's superblocks may take (default: {@code -Xmx}). */
        public Builder maxHeapMemory(long bytes) {
            heap.maxMemory(bytes);
            return this;
        }

        /** Turns on the core's double-free detection; see {@link ApfAllocator.Builder#checked}. */
        public Builder checked(boolean checked) {
            direct.checked(checked);
            heap.checked(checked);
            return this;
        }

        /** Sets how many striped caches non-event-loop threads share; see {@link ApfAllocator.Builder#sharedCaches}. */
        public Builder sharedCaches(int count) {
            direct.sharedCaches(count);
            heap.sharedCaches(count);
            return this;
        }

        /** Sets the byte budget of each cache bin; see {@link ApfAllocator.Builder#maxBinBytes}. */
        public Builder maxBinBytes(long bytes) {
            direct.maxBinBytes(bytes);
            heap.maxBinBytes(bytes);
            return this;
        }

        /** Sets how many bytes of free superblocks stay mapped; see {@link ApfAllocator.Builder#retainBytes}. */
        public Builder retainBytes(long bytes) {
            direct.retainBytes(bytes);
            heap.retainBytes(bytes);
            return this;
        }

        /** Sets how long free superblocks past that stay mapped; see {@link ApfAllocator.Builder#retainMillis}. */
        public Builder retainMillis(long millis) {
            direct.retainMillis(millis);
            heap.retainMillis(millis);
            return this;
        }

        /** Chooses how caches size themselves; see {@link ApfAllocator.Builder#tuningPolicy}. */
        public Builder tuningPolicy(TuningPolicy policy) {
            direct.tuningPolicy(policy);
            heap.tuningPolicy(policy);
            return this;
        }

        /** Sets APF's target allocations per fetch; see {@link ApfAllocator.Builder#apfTarget}. */
        public Builder apfTarget(long allocations) {
            direct.apfTarget(allocations);
            heap.apfTarget(allocations);
            return this;
        }

        /** Sets APF's sampled burst length; see {@link ApfAllocator.Builder#apfBurstLength}. */
        public Builder apfBurstLength(int allocations) {
            direct.apfBurstLength(allocations);
            heap.apfBurstLength(allocations);
            return this;
        }

        /** Sets APF's hibernation between bursts; see {@link ApfAllocator.Builder#apfHibernationLength}. */
        public Builder apfHibernationLength(int allocations) {
            direct.apfHibernationLength(allocations);
            heap.apfHibernationLength(allocations);
            return this;
        }

        /** Sets the most bytes one APF fetch brings; see {@link ApfAllocator.Builder#apfMaxFetchBytes}. */
        public Builder apfMaxFetchBytes(long bytes) {
            direct.apfMaxFetchBytes(bytes);
            heap.apfMaxFetchBytes(bytes);
            return this;
        }

        /**
         * Installs a fault injector on both cores, for tests of the failure paths: a refused mapping makes the
         * allocation that needed it throw {@link OutOfMemoryError}, as an exhausted limit does. See
         * {@link ApfAllocator.Builder#faultInjector}.
         */
        public Builder faultInjector(MemoryFaultInjector injector) {
            direct.faultInjector(injector);
            heap.faultInjector(injector);
            return this;
        }

        /** Makes the allocator, with cores of its own (one direct, one heap). */
        public ApfByteBufAllocator build() {
            return new ApfByteBufAllocator(this);
        }
    }
}
