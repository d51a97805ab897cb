package io.apfmalloc.core;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.apfmalloc.core.internal.heap.Heap;
import io.apfmalloc.core.internal.os.MemoryLimit;
import io.apfmalloc.core.internal.os.OsMemory;
import io.apfmalloc.core.internal.os.RawMemory;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.superblock.Descriptor;
import io.apfmalloc.core.internal.superblock.OffHeapLinkStore;
import io.apfmalloc.core.internal.tcache.LrmallocPolicy;
import io.apfmalloc.core.internal.tcache.ThreadCache;
import io.apfmalloc.core.internal.tcache.ThreadCaches;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * A lock-free off-heap allocator (lrmalloc: size classes, superblocks with a CAS-ed anchor, lock-free partial lists,
 * thread caches) over memory mapped from the OS. {@link ApfMalloc} is the static API over one shared instance;
 * make further instances with {@link #builder()} to get separate limits or checked mode.
 *
 * <p>Every method may be called from any thread. Platform threads allocate from a cache of their own (no atomics on
 * the common path); virtual threads share a few striped caches.
 *
 * <p>Failures: the allocating methods return 0 when the memory limit or the OS refuses memory; negative sizes, bad
 * alignments and addresses this allocator never returned throw {@link IllegalArgumentException}; a double free throws
 * {@link IllegalStateException} always for large allocations and, in {@linkplain Builder#checked checked mode}, for
 * small blocks too.
 */
public final class ApfAllocator {
    private final Heap heap;
    private final ThreadCaches caches;
    private final boolean checked;

    private ApfAllocator(Builder builder) {
        this.checked = builder.checked;
        this.heap = new Heap(OsMemory.INSTANCE, new MemoryLimit(builder.maxMemory), OffHeapLinkStore.INSTANCE,
            builder.checked);
        this.caches = new ThreadCaches(heap, new LrmallocPolicy(builder.maxBinBytes), builder.maxThreadCaches,
            builder.sharedCaches);
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
        checkSize(size);
        int sizeClass = SizeClasses.classOf(size);
        return sizeClass >= 0 ? allocateBlock(sizeClass) : heap.allocateLarge(size, OsMemory.PAGE_SIZE);
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
            ? allocateBlock(sizeClass)
            : heap.allocateLarge(size, Math.max(alignment, OsMemory.PAGE_SIZE));
    }

    /**
     * Resizes the allocation at {@code address}: returns it unchanged if {@code size} still fits its size class (or,
     * for a large allocation, its mapping, down to half of it); otherwise allocates anew, copies
     * {@code min(usableSize, size)} bytes and frees the old block. {@code realloc(0, n)} is {@code malloc(n)}.
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
        if (checked && sizeClass >= 0
            && !owner.isAllocated(SizeClasses.blockIndex(sizeClass, address - owner.base()))) {
            throw new IllegalStateException("realloc of freed block 0x" + Long.toHexString(address));
        }
        boolean fits = sizeClass == Descriptor.LARGE
            ? size <= usable && size > usable / 2 && size > SizeClasses.MAX_BLOCK_SIZE
            : SizeClasses.classOf(size) == sizeClass;
        if (fits) {
            return address;
        }
        long moved = malloc(size);
        if (moved != 0) {
            RawMemory.copy(address, moved, Math.min(usable, size));
            free(address);
        }
        return moved;
    }

    /**
     * Frees the allocation at {@code address}; {@code free(0)} does nothing. The block goes to the calling thread's
     * cache, whichever thread allocated it.
     *
     * @throws IllegalArgumentException if {@code address} is not an allocation of this allocator
     * @throws IllegalStateException    on a double free of a large allocation, or of any block in checked mode
     */
    public void free(long address) {
        if (address == 0) {
            return;
        }
        Descriptor owner = ownerOf(address);
        int sizeClass = owner.sizeClass();
        if (sizeClass == Descriptor.LARGE) {
            heap.freeLarge(owner, address);
            return;
        }
        if (checked && !owner.markFreed(SizeClasses.blockIndex(sizeClass, address - owner.base()))) {
            throw new IllegalStateException("double free of 0x" + Long.toHexString(address));
        }
        ThreadCache cache = caches.ownCache();
        if (cache != null) {
            cache.free(sizeClass, address);
            return;
        }
        ThreadCache stripe = caches.lockStripe();
        try {
            stripe.free(sizeClass, address);
        } finally {
            stripe.unlock();
        }
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

    private static long usableSize(Descriptor owner) {
        return owner.sizeClass() == Descriptor.LARGE ? owner.mappingSize() : owner.blockSize();
    }

    /** Returns cached blocks of the calling thread to the shared heap, so that other threads can reuse them. */
    public void flushThreadCache() {
        caches.flushOwnCache();
    }

    /**
     * Returns as much memory as can be returned now: the caller's cache, the caches of threads that ended, and the
     * shared stripes are flushed, and every superblock that becomes empty goes back to the OS. Live threads' own
     * caches are left to their owners ({@link #flushThreadCache}).
     */
    public void trim() {
        caches.trim();
    }

    /** Returns a snapshot of this allocator's memory figures. */
    public AllocatorStats stats() {
        long[] cached = new long[1];
        caches.forEachCache(cache -> cached[0] += cache.cachedBytes());
        return new AllocatorStats(heap.limit().reserved(), heap.limit().limit(), heap.liveSuperblocks(),
            heap.largeBytes(), caches.ownCacheCount(), cached[0]);
    }

    /**
     * Checks that every block is in exactly one place: with a user (listed in {@code liveAllocations}), in a
     * thread cache, or on its superblock's free list. Call only while no thread allocates or frees.
     *
     * @param liveAllocations the addresses the caller holds now
     * @return the audit's figures and the problems found, if any
     */
    public HeapAudit audit(long[] liveAllocations) {
        return HeapAudit.run(heap, caches, liveAllocations);
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

    private long allocateBlock(int sizeClass) {
        long block = allocateFromCache(sizeClass);
        if (block == 0) {
            caches.reclaimDeadThreadCaches();
            block = allocateFromCache(sizeClass);
        }
        if (checked && block != 0) {
            Descriptor owner = heap.descriptorOf(block);
            if (!owner.markAllocated(SizeClasses.blockIndex(sizeClass, block - owner.base()))) {
                throw new IllegalStateException("corrupted heap: block 0x" + Long.toHexString(block)
                    + " handed out twice");
            }
        }
        return block;
    }

    private long allocateFromCache(int sizeClass) {
        ThreadCache cache = caches.ownCache();
        if (cache != null) {
            return cache.allocate(sizeClass);
        }
        ThreadCache stripe = caches.lockStripe();
        try {
            return stripe.allocate(sizeClass);
        } finally {
            stripe.unlock();
        }
    }

    /**
     * Finds the descriptor of the allocation starting at {@code address}; always checked (a page map lookup and a
     * multiply), because a foreign address would otherwise corrupt a free list.
     */
    private Descriptor ownerOf(long address) {
        Descriptor owner = heap.descriptorOf(address);
        int sizeClass = owner == null ? Descriptor.RETIRED : owner.sizeClass();
        boolean startsAllocation;
        if (sizeClass == Descriptor.LARGE) {
            startsAllocation = address == owner.base();
        } else if (sizeClass >= 0) {
            long offset = address - owner.base();
            startsAllocation = (long) SizeClasses.blockIndex(sizeClass, offset) * owner.blockSize() == offset;
        } else {
            startsAllocation = false;
        }
        if (!startsAllocation) {
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
     * Settings of an {@link ApfAllocator}. Each default comes from a system property, read when the builder is made.
     *
     * <table>
     *   <caption>Settings</caption>
     *   <tr><th>setting</th><th>property</th><th>default</th></tr>
     *   <tr><td>{@link #maxMemory}</td><td>{@code apfmalloc.maxMemory}</td>
     *       <td>the JVM's {@code MaxDirectMemorySize} (itself {@code -Xmx} unless set)</td></tr>
     *   <tr><td>{@link #checked}</td><td>{@code apfmalloc.checked}</td><td>false</td></tr>
     *   <tr><td>{@link #maxThreadCaches}</td><td>{@code apfmalloc.maxThreadCaches}</td>
     *       <td>{@code max(64, 8 × processors)}</td></tr>
     *   <tr><td>{@link #sharedCaches}</td><td>{@code apfmalloc.sharedCaches}</td>
     *       <td>{@code 2 × processors}, 4 … 64</td></tr>
     *   <tr><td>{@link #maxBinBytes}</td><td>{@code apfmalloc.maxBinBytes}</td><td>1 MiB</td></tr>
     * </table>
     * Sizes accept a {@code k}, {@code m} or {@code g} suffix (powers of 1024).
     */
    public static final class Builder {
        private long maxMemory = longProperty("apfmalloc.maxMemory", defaultMaxMemory());
        private boolean checked = Boolean.getBoolean("apfmalloc.checked");
        private int maxThreadCaches = (int) longProperty("apfmalloc.maxThreadCaches",
            Math.max(64, 8L * Runtime.getRuntime().availableProcessors()));
        private int sharedCaches = (int) longProperty("apfmalloc.sharedCaches",
            Math.clamp(2L * Runtime.getRuntime().availableProcessors(), 4, 64));
        private long maxBinBytes = longProperty("apfmalloc.maxBinBytes", 1L << 20);

        private Builder() {
        }

        /**
         * Sets the most memory the allocator may map from the OS, in bytes. Allocations past it fail (return 0)
         * without touching shared state. Note that {@code -XX:MaxDirectMemorySize} itself does not limit us.
         */
        public Builder maxMemory(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxMemory: " + bytes + " (expected: > 0)");
            }
            this.maxMemory = bytes;
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

        /** Sets how many platform threads may have a cache of their own; the rest share the striped caches. */
        public Builder maxThreadCaches(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("maxThreadCaches: " + count + " (expected: >= 0)");
            }
            this.maxThreadCaches = count;
            return this;
        }

        /** Sets how many shared caches virtual threads (and platform threads past the limit) use. */
        public Builder sharedCaches(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("sharedCaches: " + count + " (expected: >= 1)");
            }
            this.sharedCaches = count;
            return this;
        }

        /**
         * Sets how many bytes a cache bin holds before a free returns its blocks to the heap (a bin always holds at
         * least one block, and briefly up to one superblock after a fill).
         */
        public Builder maxBinBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxBinBytes: " + bytes + " (expected: > 0)");
            }
            this.maxBinBytes = bytes;
            return this;
        }

        /** Makes the allocator. */
        public ApfAllocator build() {
            return new ApfAllocator(this);
        }

        private static long defaultMaxMemory() {
            try {
                HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
                long direct = Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
                if (direct > 0) {
                    return direct;
                }
            } catch (RuntimeException | LinkageError e) {
                // Not a HotSpot VM: fall back to the heap limit, as the JDK does for direct memory.
            }
            return Runtime.getRuntime().maxMemory();
        }

        static long longProperty(String name, long defaultValue) {
            String value = System.getProperty(name);
            return value == null ? defaultValue : parseSize(name, value);
        }

        static long parseSize(String name, String text) {
            String value = text.trim().toLowerCase(Locale.ROOT);
            int shift = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                default -> 0;
            };
            try {
                long number = Long.parseLong(shift == 0 ? value : value.substring(0, value.length() - 1));
                if (number < 0 || number > (Long.MAX_VALUE >> shift)) {
                    throw new NumberFormatException();
                }
                return number << shift;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": " + text + " (expected: a size such as 512m)");
            }
        }
    }
}
