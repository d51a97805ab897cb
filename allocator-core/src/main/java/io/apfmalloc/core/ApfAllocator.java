package io.apfmalloc.core;

import io.apfmalloc.core.internal.heap.Heap;
import io.apfmalloc.core.internal.heap.SuperblockArena;
import io.apfmalloc.core.internal.os.MemoryLimit;
import io.apfmalloc.core.internal.os.OsMemory;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.superblock.Descriptor;
import io.apfmalloc.core.internal.tcache.ThreadCache;
import io.apfmalloc.core.internal.tcache.ThreadCaches;
import io.apfmalloc.core.internal.tcache.Tracking;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;

/**
 * A lock-free off-heap allocator (lrmalloc: size classes, superblocks with a CAS-ed anchor, lock-free partial lists,
 * thread caches sized by APF tuning) over memory mapped from the OS. {@link ApfMalloc} is the static API over one
 * shared instance; make further instances with {@link #builder()} to get separate limits, policies or checked mode.
 *
 * <p>Every method may be called from any thread. Platform threads allocate from a cache of their own (no atomics on
 * the common path); virtual threads share a few striped caches.
 *
 * <p>Failures: the allocating methods return 0 when the memory limit or the OS refuses memory; negative sizes, bad
 * alignments and addresses this allocator does not hold throw {@link IllegalArgumentException}. A double free of a
 * large allocation, and in {@linkplain Builder#checked checked mode} of any block, always throws and never corrupts
 * the heap: {@link IllegalStateException} while the memory is still mapped (a racing second free of a large
 * allocation, a small block whose superblock is in use), {@link IllegalArgumentException} once the memory went back to
 * the OS, when the address is no longer this allocator's.
 */
public final class ApfAllocator {
    private static final System.Logger LOGGER = System.getLogger("io.apfmalloc.core");

    private final Heap heap;
    /** The heap's arena, kept here for {@code free}'s fast way to a block's class. */
    private final SuperblockArena arena;
    private final ThreadCaches caches;
    private final boolean checked;
    private final TuningPolicy tuningPolicy;
    /** Where the memory lives: native memory or {@code byte[]} superblocks. */
    private final AllocatorMemory memory;

    private ApfAllocator(Config config, MemoryFaultInjector faultInjector) {
        this.checked = config.checked();
        this.tuningPolicy = config.tuningPolicy();
        this.memory = AllocatorMemory.of(config.memoryKind());
        this.heap = memory.newHeap(new MemoryLimit(config.maxMemory()), faultInjector, config.checked(),
            config.retainBytes(), config.retainMillis());
        this.arena = heap.arena();
        this.caches = new ThreadCaches(heap, config.cachePolicy(), config.maxThreadCaches(), config.sharedCaches());
    }

    /** Returns a builder whose defaults come from the {@code apfmalloc.*} system properties (see {@link Builder}). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Allocates at least {@code size} bytes, aligned to 8 bytes (16 for sizes of 16 and more that are multiples of
     * 16). A size of 0 returns a unique minimal block.
     *
     * @return the address, or 0 if the memory limit or the OS refuses
     * @throws IllegalArgumentException if {@code size < 0}
     */
    public long malloc(long size) {
        return allocate(null, size, Tracking.TRACKED);
    }

    /**
     * Like {@link #malloc}, but unseen by the APF tuner (the seed's "independent collections"): for metadata of the
     * allocator's users that should not shape their thread caches. Free it with {@link #freeUntracked}.
     *
     * @return the address, or 0 if the memory limit or the OS refuses
     * @throws IllegalArgumentException if {@code size < 0}
     */
    public long mallocUntracked(long size) {
        return allocate(null, size, Tracking.UNTRACKED);
    }

    /** Allocates from {@code explicit}, or from the calling thread's cache or a stripe when it is null. */
    long allocate(ThreadCache explicit, long size, Tracking tracking) {
        checkSize(size);
        int sizeClass = SizeClasses.classOf(size);
        return sizeClass >= 0
            ? allocateBlock(explicit, sizeClass, tracking)
            : allocateLarge(explicit, size, OsMemory.PAGE_SIZE);
    }

    /**
     * Allocates at least {@code size} bytes at an address that is a multiple of {@code alignment}. Alignments up to
     * 64 KiB come from size classes whose blocks are naturally aligned; larger ones get a mapping of their own.
     *
     * @return the address, or 0 if the memory limit or the OS refuses
     * @throws IllegalArgumentException if {@code size < 0} or {@code alignment} is not a positive power of two
     */
    public long alignedAlloc(long alignment, long size) {
        checkSize(size);
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment: " + alignment + " (expected: a power of two)");
        }
        if (alignment <= SizeClasses.MIN_BLOCK_SIZE) {
            return malloc(size);
        }
        int sizeClass = alignment <= SizeClasses.SUPERBLOCK_ALIGNMENT
            ? SizeClasses.alignedClassOf(size, alignment)
            : -1;
        return sizeClass >= 0
            ? allocateBlock(null, sizeClass, Tracking.TRACKED)
            : allocateLarge(null, size, Math.max(alignment, OsMemory.PAGE_SIZE));
    }

    /**
     * Resizes the allocation at {@code address}: returns it unchanged if {@code size} still fits its size class (or,
     * for a large allocation, its mapping, down to half of it, as long as {@code size} is past the largest class,
     * 1 MiB); otherwise allocates anew, copies {@code min(usableSize, size)} bytes and frees the old block.
     * {@code realloc(0, n)} is {@code malloc(n)}.
     *
     * @return the new address, or 0 if memory is refused, in which case {@code address} stays valid
     * @throws IllegalArgumentException if {@code size < 0} or {@code address} is not an allocation of this allocator
     * @throws IllegalStateException    in checked mode, if {@code address} is a small block that was freed
     */
    public long realloc(long address, long size) {
        if (address == 0) {
            return malloc(size);
        }
        checkSize(size);
        Descriptor owner = ownerOf(address);
        long usable = usableSize(owner);
        int sizeClass = owner.sizeClass();
        if (checked && sizeClass >= 0) {
            owner.checkWithUser(address, "realloc");
        }
        boolean fits = sizeClass == Descriptor.LARGE
            ? size <= usable && size > usable / 2 && size > SizeClasses.MAX_BLOCK_SIZE
            : SizeClasses.classOf(size) == sizeClass;
        if (fits) {
            return address;
        }
        long moved = malloc(size);
        if (moved != 0) {
            memory.copy(address, moved, Math.min(usable, size));
            free(address);
        }
        return moved;
    }

    /** Returns where this allocator's memory lives. */
    public MemoryKind memoryKind() {
        return memory.kind();
    }

    /**
     * Returns the array holding the allocation at {@code address} of a {@link MemoryKind#HEAP} allocator; the
     * allocation starts at {@link #arrayOffset}. Not checked: {@code address} must be a live allocation.
     *
     * @throws IllegalStateException if this allocator is off-heap
     */
    public byte[] array(long address) {
        return memory.array(address);
    }

    /** Returns where the allocation at {@code address} of a {@link MemoryKind#HEAP} allocator starts in its array. */
    public int arrayOffset(long address) {
        return memory.arrayOffset(address);
    }

    /**
     * Returns a bounds-checked segment over {@code size} bytes at {@code address}: native memory off-heap, a slice of
     * the block's array on the heap. The segment does not know when the allocation is freed.
     */
    public MemorySegment segment(long address, long size) {
        return memory.segment(address, size);
    }

    /**
     * Frees the allocation at {@code address}; {@code free(0)} does nothing. The block goes to the calling thread's
     * cache, whichever thread allocated it.
     *
     * @throws IllegalArgumentException if {@code address} is not an allocation of this allocator (including a large
     *                                  allocation freed already)
     * @throws IllegalStateException    on a double free detected while the memory is mapped (see the class comment)
     */
    public void free(long address) {
        free(null, address, Tracking.TRACKED);
    }

    /**
     * Frees an allocation made by {@link #mallocUntracked}, unseen by the APF tuner; otherwise as {@link #free}.
     *
     * @throws IllegalArgumentException if {@code address} is not an allocation of this allocator
     * @throws IllegalStateException    on a detected double free
     */
    public void freeUntracked(long address) {
        free(null, address, Tracking.UNTRACKED);
    }

    /**
     * Frees {@code address}, which {@link #malloc malloc(size)} returned, without looking up its owner: for callers
     * that keep each allocation's requested size anyway (Netty buffers do), it saves the page map lookup and the
     * address check of {@link #free}. In {@linkplain Builder#checked checked mode}, and for large allocations, it is
     * {@link #free}.
     *
     * <p>Not checked otherwise: an address this allocator did not return from {@code malloc(size)}, or a wrong
     * {@code size}, corrupts the heap. Use {@link #free} unless the pair is known to be right.
     *
     * @throws IllegalArgumentException as {@link #free} in checked mode
     * @throws IllegalStateException    on a double free in checked mode
     */
    public void freeSized(long address, long size) {
        freeSized(null, address, size);
    }

    /** {@link #freeSized(long, long)} to {@code explicit}, or to the calling thread's cache or a stripe. */
    void freeSized(ThreadCache explicit, long address, long size) {
        int sizeClass = SizeClasses.classOf(size);
        if (checked || sizeClass < 0 || address == 0) {
            free(explicit, address, Tracking.TRACKED);
            return;
        }
        assert ownerOf(address).sizeClass() == sizeClass : "0x" + Long.toHexString(address) + " of " + size;
        caches.free(explicit, sizeClass, address, Tracking.TRACKED);
    }

    /**
     * Frees to {@code explicit}, or to the calling thread's cache or a stripe when it is null. A block of an arena
     * superblock finds its class in the arena's flat map; everything else takes the page map's way. Kept this small
     * so that the JIT inlines it into callers.
     */
    void free(ThreadCache explicit, long address, Tracking tracking) {
        int arenaClass = checked ? -1 : arena.blockClassOf(address);
        if (arenaClass >= 0) {
            caches.free(explicit, arenaClass, address, tracking);
        } else {
            freeByPageMap(explicit, address, tracking);
        }
    }

    /** Frees what the arena does not map: large allocations, superblocks mapped alone, checked mode, bad input. */
    private void freeByPageMap(ThreadCache explicit, long address, Tracking tracking) {
        if (address == 0) {
            return;
        }
        Descriptor owner = ownerOf(address);
        int sizeClass = owner.sizeClass();
        if (sizeClass == Descriptor.LARGE) {
            heap.freeLarge(owner, address);
            return;
        }
        if (checked) {
            owner.markReturned(address);
        }
        caches.free(explicit, sizeClass, address, tracking);
    }

    /**
     * Returns how many bytes the allocation at {@code address} can hold: its block size, or its mapping's size.
     * {@code usableSize(0)} is 0.
     *
     * @throws IllegalArgumentException if {@code address} is not an allocation of this allocator
     */
    public long usableSize(long address) {
        return address == 0 ? 0 : usableSize(ownerOf(address));
    }

    /**
     * Returns how many bytes an allocation of {@code size} bytes will be able to hold, without allocating: its size
     * class's block size, or the page-rounded size of a large allocation. For callers that size buffers to their
     * block (a {@code ByteBuf}'s fast writable bytes) without a page map lookup per allocation.
     *
     * @throws IllegalArgumentException if {@code size < 0}
     */
    public static long usableSizeFor(long size) {
        checkSize(size);
        int sizeClass = SizeClasses.classOf(size);
        if (sizeClass >= 0) {
            return SizeClasses.blockSize(sizeClass);
        }
        return size > Heap.MAX_LARGE_SIZE ? size : (size + OsMemory.PAGE_SIZE - 1) & -OsMemory.PAGE_SIZE;
    }

    /**
     * Returns the largest single allocation this allocator can serve, memory limit aside: 4 MiB for
     * {@link MemoryKind#HEAP} (one array slot), 64 TiB off-heap.
     */
    public long maxAllocationSize() {
        return memory.maxAllocationSize();
    }

    private static long usableSize(Descriptor owner) {
        return owner.sizeClass() == Descriptor.LARGE ? owner.mappingSize() : owner.blockSize();
    }

    /** Returns cached blocks of the calling thread to the shared heap, so that other threads can reuse them. */
    public void flushThreadCache() {
        caches.flushOwnCache();
    }

    /**
     * Returns as much memory as can be returned now: the caller's cache, the caches of threads that ended, and the
     * shared stripes are flushed, and every wholly free superblock goes back to the OS, including those kept for
     * reuse. Live threads' own caches are left to their owners ({@link #flushThreadCache}).
     */
    public void trim() {
        caches.trim();
        heap.releaseRetainedSuperblocks();
    }

    /** Returns a snapshot of this allocator's memory figures. */
    public AllocatorStats stats() {
        return StatsSnapshots.allocatorStats(heap, caches);
    }

    /**
     * Makes a thread cache that its user binds to one thread, for frameworks that manage their own threads: a Netty
     * event loop keeps one in a {@code FastThreadLocal} and closes it when the loop ends. Combine with
     * {@link Builder#maxThreadCaches maxThreadCaches(0)} so that other threads share the striped caches.
     *
     * @param owner a name for metrics, usually the thread's
     */
    public ApfThreadCache newThreadCache(String owner) {
        return new ApfThreadCache(this, caches.registerExplicit(owner));
    }

    /** Flushes and forgets an explicit cache; called by {@link ApfThreadCache#close}. */
    void closeThreadCache(ThreadCache cache) {
        caches.unregisterExplicit(cache);
    }

    /**
     * Returns every thread cache's bins: what the tuner decided (fetch sizes, achieved allocations per fetch, return
     * thresholds) and what each cache holds. Own caches first, then the shared stripes. Figures are read without
     * stopping their owners: a moment's estimate.
     */
    public List<ThreadCacheStats> cacheStats() {
        return StatsSnapshots.cacheStats(caches);
    }

    /** Returns the policy that sizes this allocator's thread caches. */
    public TuningPolicy tuningPolicy() {
        return tuningPolicy;
    }

    /**
     * Runs the invariant checker ({@link HeapAudit}): every block in exactly one place, every descriptor in exactly
     * one place, anchors, free lists, partial lists and counters in agreement. Blocks found neither free nor cached
     * are counted as with users ({@link HeapAudit#liveBlocks()}); compare {@link HeapAudit#allocationsWithUsers()}
     * with what the program holds to find lost blocks. Call only while no thread allocates or frees with this
     * allocator, after a happens-before edge from every thread that did (a join, a latch, a barrier): it reads
     * thread caches without synchronization.
     *
     * @return the audit's figures and the problems found, if any
     */
    public HeapAudit audit() {
        return HeapAudit.run(heap, caches, null);
    }

    /**
     * Runs the invariant checker as {@link #audit()} does, and also checks that the allocations with users are
     * exactly {@code liveAllocations}: any other block found neither free nor cached is reported lost. Same rules
     * on quiescence as {@link #audit()}.
     *
     * @param liveAllocations the addresses the caller holds now
     * @return the audit's figures and the problems found, if any
     */
    public HeapAudit audit(long[] liveAllocations) {
        return HeapAudit.run(heap, caches, Objects.requireNonNull(liveAllocations, "liveAllocations"));
    }

    /** Returns the error that the throwing APIs raise when {@code size} bytes are refused. */
    OutOfMemoryError outOfMemory(long size) {
        return new OutOfMemoryError("cannot allocate " + size + " bytes (allocated: " + heap.limit().reserved()
            + ", limit: " + heap.limit().limit() + ")");
    }

    /** Returns whether this allocator runs in checked mode. */
    public boolean isChecked() {
        return checked;
    }

    private long allocateBlock(ThreadCache explicit, int sizeClass, Tracking tracking) {
        long block = caches.allocate(explicit, sizeClass, tracking);
        if (block == 0) {
            recoverMemory(explicit);
            block = caches.allocate(explicit, sizeClass, tracking);
        }
        if (checked && block != 0) {
            heap.descriptorOf(block).markHandedOut(block);
        }
        return block;
    }

    private long allocateLarge(ThreadCache explicit, long size, long alignment) {
        long address = heap.allocateLarge(size, alignment);
        boolean couldFit = size <= heap.limit().limit() && alignment <= Heap.MAX_LARGE_SIZE;
        if (address == 0 && couldFit) {
            recoverMemory(explicit);
            address = heap.allocateLarge(size, alignment);
        }
        return address;
    }

    /**
     * Before an allocation fails, gives back what the caller can: dead threads' caches, the caller's own cache and
     * the wholly free superblocks kept for reuse. Other live threads' caches stay with their owners.
     */
    private void recoverMemory(ThreadCache explicit) {
        caches.flushForRecovery(explicit);
        heap.releaseRetainedSuperblocks();
    }

    /**
     * Finds the descriptor of the allocation starting at {@code address}; always checked (a page map lookup and a
     * multiply), because a foreign address would otherwise corrupt a free list.
     */
    private Descriptor ownerOf(long address) {
        Descriptor owner = heap.descriptorOf(address);
        if (owner == null || !owner.startsAllocation(address)) {
            throw new IllegalArgumentException("address: 0x" + Long.toHexString(address)
                + " (expected: an allocation of this allocator)");
        }
        return owner;
    }

    private static void checkSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
        }
    }

    /**
     * Settings of an {@link ApfAllocator}. A setting left unset takes its system property's value when the allocator
     * is built, or the default when the property is not set; each is parsed and checked by its {@link Setting}, so a
     * bad value, from a property or a method, throws {@link IllegalArgumentException} naming the setting, the value
     * and the accepted form. The effective settings are logged once per allocator at {@code DEBUG} level
     * ({@code System.Logger} {@code io.apfmalloc.core}).
     *
     * <table>
     *   <caption>Settings</caption>
     *   <tr><th>setting</th><th>property</th><th>accepted</th><th>default</th></tr>
     *   <tr><td>{@link #maxMemory}</td><td>{@code apfmalloc.maxMemory}</td><td>a size &ge; 1</td>
     *       <td>off-heap: the JVM's {@code MaxDirectMemorySize} (itself {@code -Xmx} unless set); heap: {@code -Xmx}
     *       </td></tr>
     *   <tr><td>{@link #memoryKind}</td><td></td><td></td><td>{@link MemoryKind#OFF_HEAP}</td></tr>
     *   <tr><td>{@link #checked}</td><td>{@code apfmalloc.checked}</td><td>true, false</td><td>false</td></tr>
     *   <tr><td>{@link #maxThreadCaches}</td><td>{@code apfmalloc.maxThreadCaches}</td>
     *       <td>0 … 2<sup>31</sup>-1</td><td>{@code max(64, 8 × processors)}</td></tr>
     *   <tr><td>{@link #sharedCaches}</td><td>{@code apfmalloc.sharedCaches}</td><td>1 … 1024</td>
     *       <td>{@code 2 × processors}, 4 … 64</td></tr>
     *   <tr><td>{@link #maxBinBytes}</td><td>{@code apfmalloc.maxBinBytes}</td><td>a size &ge; 1</td>
     *       <td>1 MiB</td></tr>
     *   <tr><td>{@link #retainBytes}</td><td>{@code apfmalloc.retainBytes}</td><td>a size &ge; 0</td>
     *       <td>8 MiB</td></tr>
     *   <tr><td>{@link #retainMillis}</td><td>{@code apfmalloc.retainMillis}</td><td>0 … 2<sup>31</sup>-1</td>
     *       <td>1000</td></tr>
     *   <tr><td>{@link #tuningPolicy}</td><td>{@code apfmalloc.policy}</td><td>apf, lrmalloc</td>
     *       <td>{@code apf}</td></tr>
     *   <tr><td>{@link #apfTarget}</td><td>{@code apfmalloc.apf.target}</td><td>1 … 2<sup>31</sup>-1</td>
     *       <td>1000</td></tr>
     *   <tr><td>{@link #apfBurstLength}</td><td>{@code apfmalloc.apf.burst}</td><td>2 … 65536</td><td>256</td></tr>
     *   <tr><td>{@link #apfHibernationLength}</td><td>{@code apfmalloc.apf.hibernation}</td>
     *       <td>0 … 2<sup>31</sup>-1</td><td>16384</td></tr>
     *   <tr><td>{@link #apfMaxFetchBytes}</td><td>{@code apfmalloc.apf.maxFetchBytes}</td><td>a size &ge; 1</td>
     *       <td>128 KiB</td></tr>
     * </table>
     * Sizes accept a {@code k}, {@code m} or {@code g} suffix (powers of 1024); see {@link Setting} for the forms.
     */
    public static final class Builder {
        /** Shared caches past this buy nothing but memory: a stripe is held for one malloc or free. */
        private static final int MAX_SHARED_CACHES = 1024;
        /** Bursts past this would make each bin's trace (four entries per allocation) outweigh its blocks. */
        private static final int MAX_APF_BURST = 1 << 16;

        /** The setting of {@link #maxMemory}. */
        public static final Setting<Long> MAX_MEMORY = Setting.size("maxMemory", "apfmalloc.maxMemory", 1);
        /** The setting of {@link #checked}. */
        public static final Setting<Boolean> CHECKED = Setting.flag("checked", "apfmalloc.checked");
        /** The setting of {@link #maxThreadCaches}. */
        public static final Setting<Long> MAX_THREAD_CACHES =
            Setting.number("maxThreadCaches", "apfmalloc.maxThreadCaches", 0, Integer.MAX_VALUE);
        /** The setting of {@link #sharedCaches}. */
        public static final Setting<Long> SHARED_CACHES =
            Setting.number("sharedCaches", "apfmalloc.sharedCaches", 1, MAX_SHARED_CACHES);
        /** The setting of {@link #maxBinBytes}. */
        public static final Setting<Long> MAX_BIN_BYTES = Setting.size("maxBinBytes", "apfmalloc.maxBinBytes", 1);
        /** The setting of {@link #retainBytes}. */
        public static final Setting<Long> RETAIN_BYTES = Setting.size("retainBytes", "apfmalloc.retainBytes", 0);
        /** The setting of {@link #retainMillis}. */
        public static final Setting<Long> RETAIN_MILLIS =
            Setting.number("retainMillis", "apfmalloc.retainMillis", 0, Integer.MAX_VALUE);
        /** The setting of {@link #tuningPolicy}. */
        public static final Setting<TuningPolicy> TUNING_POLICY =
            Setting.choice("tuningPolicy", "apfmalloc.policy", TuningPolicy.class);
        /** The setting of {@link #apfTarget}. */
        public static final Setting<Long> APF_TARGET =
            Setting.number("apfTarget", "apfmalloc.apf.target", 1, Integer.MAX_VALUE);
        /** The setting of {@link #apfBurstLength}. */
        public static final Setting<Long> APF_BURST_LENGTH =
            Setting.number("apfBurstLength", "apfmalloc.apf.burst", 2, MAX_APF_BURST);
        /** The setting of {@link #apfHibernationLength}. */
        public static final Setting<Long> APF_HIBERNATION_LENGTH =
            Setting.number("apfHibernationLength", "apfmalloc.apf.hibernation", 0, Integer.MAX_VALUE);
        /** The setting of {@link #apfMaxFetchBytes}. */
        public static final Setting<Long> APF_MAX_FETCH_BYTES =
            Setting.size("apfMaxFetchBytes", "apfmalloc.apf.maxFetchBytes", 1);

        // Null: unset, so the system property or the default decides when the allocator is built.
        private Long maxMemory;
        private MemoryKind memoryKind = MemoryKind.OFF_HEAP;
        private Boolean checked;
        private Long maxThreadCaches;
        private Long sharedCaches;
        private Long maxBinBytes;
        private Long retainBytes;
        private Long retainMillis;
        private TuningPolicy tuningPolicy;
        private Long apfTarget;
        private Long apfBurstLength;
        private Long apfHibernationLength;
        private Long apfMaxFetchBytes;
        private MemoryFaultInjector faultInjector;

        private Builder() {
        }

        /**
         * Sets the most memory the allocator may map from the OS, in bytes. Allocations past it fail (return 0)
         * without touching shared state. Note that {@code -XX:MaxDirectMemorySize} itself does not limit us.
         *
         * @throws IllegalArgumentException if {@code bytes < 1}
         */
        public Builder maxMemory(long bytes) {
            this.maxMemory = MAX_MEMORY.check(bytes);
            return this;
        }

        /**
         * Turns on checked mode: every superblock keeps a bit per block, set while the block is with a user, so a
         * double free of a small block throws {@link IllegalStateException}. Costs one atomic bit operation per
         * malloc and per free, and {@code blocks / 8} bytes of Java heap per superblock.
         */
        public Builder checked(boolean checked) {
            this.checked = checked;
            return this;
        }

        /**
         * Sets how many platform threads may have a cache of their own; the rest share the striped caches.
         *
         * @throws IllegalArgumentException if {@code count < 0}
         */
        public Builder maxThreadCaches(int count) {
            this.maxThreadCaches = MAX_THREAD_CACHES.check((long) count);
            return this;
        }

        /**
         * Sets how many shared caches virtual threads (and platform threads past the limit) use.
         *
         * @throws IllegalArgumentException if {@code count} is not within 1 … 1024
         */
        public Builder sharedCaches(int count) {
            this.sharedCaches = SHARED_CACHES.check((long) count);
            return this;
        }

        /**
         * Sets how many bytes a cache bin holds before a free returns its blocks to the heap (a bin always holds at
         * least one block, and briefly up to one superblock after a fill).
         *
         * @throws IllegalArgumentException if {@code bytes < 1}
         */
        public Builder maxBinBytes(long bytes) {
            this.maxBinBytes = MAX_BIN_BYTES.check(bytes);
            return this;
        }

        /**
         * Sets how many bytes of wholly free superblocks stay mapped for reuse, so that a burst that frees and
         * allocates again does not unmap and remap them ({@link ApfAllocator#trim} releases them). 0 returns every
         * wholly free superblock to the OS at once.
         *
         * @throws IllegalArgumentException if {@code bytes < 0}
         */
        public Builder retainBytes(long bytes) {
            this.retainBytes = RETAIN_BYTES.check(bytes);
            return this;
        }

        /**
         * Sets how long wholly free superblocks past {@link #retainBytes} stay mapped too: between one and two of
         * these periods while the allocator is in use (a heap nobody uses keeps them until its next use or
         * {@link ApfAllocator#trim}), so that bursts larger than the budget reuse their memory, as jemalloc's decay
         * does, and memory no longer needed still goes back. 0 returns every wholly free superblock past the budget
         * at once.
         *
         * @throws IllegalArgumentException if {@code millis} is negative
         */
        public Builder retainMillis(long millis) {
            this.retainMillis = RETAIN_MILLIS.check(millis);
            return this;
        }

        /**
         * Chooses where memory lives: native memory from the OS (the default), or pooled {@code byte[]} superblocks
         * on the Java heap, whose default limit is then {@code -Xmx}.
         */
        public Builder memoryKind(MemoryKind kind) {
            this.memoryKind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /** Chooses how thread caches size themselves: {@link TuningPolicy#APF} (default) or lrmalloc's rule. */
        public Builder tuningPolicy(TuningPolicy policy) {
            this.tuningPolicy = TUNING_POLICY.check(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * Sets APF's target {@code T}: allocations per fetch to aim for. 1000 by default: a fetch of 1,000 blocks
         * fits the bins of every class up to 512 B (whose hard bound is 8,192 blocks or 1 MiB), and the original's
         * 2,500 made bins of 64 KiB blocks hoard; larger classes are held to the byte budget anyway.
         *
         * @throws IllegalArgumentException if {@code allocations} is not within 1 … 2<sup>31</sup>-1
         */
        public Builder apfTarget(long allocations) {
            this.apfTarget = APF_TARGET.check(allocations);
            return this;
        }

        /**
         * Sets APF's burst length {@code B}: allocations sampled per burst (256 by default; the reuse curve is
         * extrapolated linearly past it, so longer bursts buy little and cost a larger trace).
         *
         * @throws IllegalArgumentException if {@code allocations} is not within 2 … 65536
         */
        public Builder apfBurstLength(int allocations) {
            this.apfBurstLength = APF_BURST_LENGTH.check((long) allocations);
            return this;
        }

        /**
         * Sets APF's hibernation {@code H}: allocations between bursts. 16384 by default: sampling then runs on 1.5%
         * of allocations, and a 256 B malloc/free pair costs within ~3% of lrmalloc's policy (10.1 against 9.7–10.0
         * ns; with 4096, 10.8–11.5 ns, the end-of-burst analysis amortized over fewer allocations).
         *
         * @throws IllegalArgumentException if {@code allocations < 0}
         */
        public Builder apfHibernationLength(int allocations) {
            this.apfHibernationLength = APF_HIBERNATION_LENGTH.check((long) allocations);
            return this;
        }

        /**
         * Sets the most bytes one APF fetch brings (128 KiB by default); a bin then keeps at most about twice that.
         * {@code T} blocks of 64 B are 62.5 KiB, so small classes reach the target; large ones fetch a few blocks
         * at a time instead of hoarding {@code T} of them (the original's 2,500 × 64 KiB would be 160 MiB).
         *
         * @throws IllegalArgumentException if {@code bytes < 1}
         */
        public Builder apfMaxFetchBytes(long bytes) {
            this.apfMaxFetchBytes = APF_MAX_FETCH_BYTES.check(bytes);
            return this;
        }

        /**
         * Installs a fault injector that may refuse any mapping from the OS, for tests of the failure paths (see
         * {@link MemoryFaultInjector}); {@code null}, the default, removes it. Without one, mappings cost nothing
         * extra.
         */
        public Builder faultInjector(MemoryFaultInjector injector) {
            this.faultInjector = injector;
            return this;
        }

        /**
         * Makes the allocator, reading the system property of every setting left unset.
         *
         * @throws IllegalArgumentException if a system property holds a bad value; the message names it, its text
         *                                  and the accepted form
         */
        public ApfAllocator build() {
            int processors = Runtime.getRuntime().availableProcessors();
            Config config = new Config(
                MAX_MEMORY.resolve(maxMemory, Config.defaultMaxMemory(memoryKind)),
                memoryKind,
                CHECKED.resolve(checked, false),
                Math.toIntExact(MAX_THREAD_CACHES.resolve(maxThreadCaches, Math.max(64, 8L * processors))),
                Math.toIntExact(SHARED_CACHES.resolve(sharedCaches, (long) Math.clamp(2L * processors, 4, 64))),
                MAX_BIN_BYTES.resolve(maxBinBytes, 1L << 20),
                RETAIN_BYTES.resolve(retainBytes, 8L << 20),
                RETAIN_MILLIS.resolve(retainMillis, 1000L),
                TUNING_POLICY.resolve(tuningPolicy, TuningPolicy.APF),
                APF_TARGET.resolve(apfTarget, 1000L),
                Math.toIntExact(APF_BURST_LENGTH.resolve(apfBurstLength, 256L)),
                Math.toIntExact(APF_HIBERNATION_LENGTH.resolve(apfHibernationLength, 16384L)),
                APF_MAX_FETCH_BYTES.resolve(apfMaxFetchBytes, 128L << 10));
            ApfAllocator allocator = new ApfAllocator(config, faultInjector);
            LOGGER.log(System.Logger.Level.DEBUG, () -> "apfmalloc " + memoryKind + " allocator: " + config);
            return allocator;
        }
    }
}
