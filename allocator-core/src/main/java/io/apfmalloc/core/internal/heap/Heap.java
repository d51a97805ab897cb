package io.apfmalloc.core.internal.heap;

import static io.apfmalloc.core.internal.superblock.AnchorLayout.EMPTY;
import static io.apfmalloc.core.internal.superblock.AnchorLayout.FULL;
import static io.apfmalloc.core.internal.superblock.AnchorLayout.PARTIAL;

import io.apfmalloc.core.internal.os.BoundedCounter;
import io.apfmalloc.core.internal.os.MemoryLimit;
import io.apfmalloc.core.internal.os.MemorySource;
import io.apfmalloc.core.internal.os.OsMemory;
import io.apfmalloc.core.internal.pagemap.PageMap;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.superblock.AnchorLayout;
import io.apfmalloc.core.internal.superblock.Descriptor;
import io.apfmalloc.core.internal.superblock.DescriptorRegistry;
import io.apfmalloc.core.internal.superblock.LinkStore;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared heap: per size class a lock-free partial list of superblocks, the superblocks' anchors, the
 * descriptor recycling stack, the page map, and the memory source under the memory limit. Thread caches
 * {@link #fill} from it and {@link #flush} back to it; both are lock-free and allocate nothing on the Java heap
 * (but for a descriptor object the first time the heap grows past its previous peak).
 */
public final class Heap {
    /** Large allocations above this (64 TiB) are refused outright: no address space holds them. */
    public static final long MAX_LARGE_SIZE = 1L << 46;

    private final DescriptorRegistry registry = new DescriptorRegistry();
    private final DescriptorStack retiredDescriptors;
    private final DescriptorStack[] partialLists = new DescriptorStack[SizeClasses.COUNT];
    private final PageMap pageMap = new PageMap();
    private final SuperblockArena arena;
    private final MemorySource source;
    private final MemoryLimit limit;
    private final LinkStore links;
    private final boolean checked;
    private final long retainLimit;
    /**
     * How long wholly free superblocks past {@link #retainLimit} stay kept (between one and two of these, while the
     * heap is in use); 0 keeps none past it.
     */
    private final long decayNanos;
    /**
     * One superblock kept in this many (on average) looks at the clock: a burst keeps superblocks by the hundred, and
     * reading the clock for each cost 6% of a burst of 16 KiB buffers.
     */
    private static final int DECAY_CHECK_INTERVAL = 64;
    /** When the next decay pass is due ({@link System#nanoTime()}); the thread that moves it runs the pass. */
    private final AtomicLong nextDecay = new AtomicLong();
    /** Counts decay passes; superblocks kept since the last pass carry the current value. */
    private volatile int retentionEpoch;
    private final BoundedCounter retainedBytes = new BoundedCounter();
    private final AtomicLong liveSuperblocks = new AtomicLong();
    private final AtomicLong largeBytes = new AtomicLong();

    /**
     * Makes an empty heap whose superblocks each get their own mapping from {@code source}, retaining at most
     * {@code retainLimit} bytes of wholly free superblocks.
     */
    public Heap(MemorySource source, MemoryLimit limit, LinkStore links, boolean checked, long retainLimit) {
        this(SuperblockArena.NONE, source, limit, links, checked, retainLimit, 0);
    }

    /**
     * Makes an empty heap.
     *
     * @param arena   where superblocks are carved while it has room (off-heap heaps only)
     * @param source  where large allocations, and superblocks past the arena, get their memory
     * @param limit   the limit every mapping is reserved against
     * @param links   how free-list links are read and written in the source's memory
     * @param checked     whether superblocks track which blocks are with users (double-free detection)
     * @param retainLimit bytes of wholly free superblocks kept mapped for reuse instead of going back to the OS
     * @param decayMillis how long wholly free superblocks past {@code retainLimit} are kept too (0: none)
     */
    public Heap(SuperblockArena arena, MemorySource source, MemoryLimit limit, LinkStore links, boolean checked,
                long retainLimit, long decayMillis) {
        this.arena = arena;
        this.decayNanos = TimeUnit.MILLISECONDS.toNanos(decayMillis);
        this.nextDecay.set(System.nanoTime() + decayNanos);
        this.source = source;
        this.limit = limit;
        this.links = links;
        this.checked = checked;
        this.retainLimit = retainLimit;
        StackLinks stackLinks = new StackLinks() {
            @Override
            public int next(int id) {
                return registry.get(id).lvNextInStack();
            }

            @Override
            public void setNext(int id, int next) {
                registry.get(id).soNextInStack(next);
            }
        };
        this.retiredDescriptors = new DescriptorStack(stackLinks);
        for (int c = 0; c < partialLists.length; c++) {
            partialLists[c] = new DescriptorStack(stackLinks);
        }
    }

    /**
     * Puts between one and {@code want} free blocks of class {@code sizeClass} into {@code out[at ..]}: from a partial
     * superblock if there is one, else from a new one. {@code out} must have room for {@code want} blocks from
     * {@code at}.
     *
     * @return the number of blocks written, 0 if the memory limit or the OS refuses a new superblock
     */
    public int fill(int sizeClass, int want, long[] out, int at) {
        assert want >= 1 : want;
        int taken = fillFromPartial(sizeClass, want, out, at);
        return taken > 0 ? taken : fillFromNewSuperblock(sizeClass, want, out, at);
    }

    /**
     * Pops partial superblocks until one yields blocks, and takes up to {@code want} of them. Linearizes at the
     * anchor CAS PARTIAL to FULL, which takes the whole list without reading a link first: the blocks are ours
     * before we walk them, so neither ABA nor a concurrent release of the memory can touch the walk (the superblock
     * cannot empty while we hold its blocks). What we do not want goes back as one chain ({@link #giveBack}), so a
     * fill walks and holds only what its bin asked for. A popped EMPTY descriptor is ours alone: retire it.
     */
    private int fillFromPartial(int sizeClass, int want, long[] out, int at) {
        DescriptorStack partial = partialLists[sizeClass];
        while (true) {
            int id = partial.pop();
            if (id == StackHeadLayout.NONE) {
                return 0;
            }
            Descriptor descriptor = registry.get(id);
            while (true) {
                long anchor = descriptor.lvAnchor();
                if (AnchorLayout.state(anchor) == EMPTY) {
                    retire(descriptor);
                    break;
                }
                assert AnchorLayout.state(anchor) == PARTIAL : descriptor;
                if (descriptor.casAnchor(anchor, AnchorLayout.pack(FULL, 0, 0))) {
                    int count = AnchorLayout.count(anchor);
                    if (count == descriptor.blockCount()) {
                        retainedBytes.subtract(SizeClasses.superblockSize(sizeClass));
                    }
                    int taken = Math.min(want, count);
                    int rest = takeChain(descriptor, AnchorLayout.avail(anchor), taken, out, at);
                    if (taken < count) {
                        giveBack(descriptor, rest, count - taken);
                    }
                    return taken;
                }
            }
        }
    }

    /**
     * Writes the first {@code count} blocks of the chain starting at block {@code first} into {@code out[at ..]}.
     *
     * @return the index of the block after them on the chain (meaningless once the chain ends)
     */
    private int takeChain(Descriptor descriptor, int first, int count, long[] out, int at) {
        long base = descriptor.base();
        int blockSize = descriptor.blockSize();
        boolean side = sideLinked(descriptor.sizeClass(), base);
        int index = first;
        for (int i = 0; i < count; i++) {
            long block = base + (long) index * blockSize;
            out[at + i] = block;
            index += 1 + readLink(side, block);
        }
        return index;
    }

    /** Returns whether the superblock of {@code sizeClass} at {@code base} keeps its links in the arena's table. */
    private boolean sideLinked(int sizeClass, long base) {
        return SuperblockArena.sideLinked(sizeClass) && arena.contains(base);
    }

    private int readLink(boolean side, long block) {
        return side ? arena.readSideLink(block) : links.readLink(block);
    }

    private void writeLink(boolean side, long block, int storedLink) {
        if (side) {
            arena.writeSideLink(block, storedLink);
        } else {
            links.writeLink(block, storedLink);
        }
    }

    /**
     * Puts back the rest of a list a fill took: {@code count} linked blocks from block {@code head}, all ours, of a
     * superblock that keeps at least one of its blocks with the filler, so it cannot become wholly free here. Pushed
     * in front of whatever was freed to it meanwhile, with one anchor CAS (ABA-safe as every push in front); the
     * chain's tail is found, by walking it, only if that list is not empty. FULL to PARTIAL puts the superblock back
     * on its partial list.
     */
    private void giveBack(Descriptor descriptor, int head, int count) {
        long base = descriptor.base();
        int blockSize = descriptor.blockSize();
        boolean side = sideLinked(descriptor.sizeClass(), base);
        int tailIndex = -1;
        while (true) {
            long anchor = descriptor.lvAnchor();
            int state = AnchorLayout.state(anchor);
            int freed = AnchorLayout.count(anchor);
            assert state != EMPTY && freed + count < descriptor.blockCount() : descriptor;
            if (freed > 0) {
                if (tailIndex < 0) {
                    tailIndex = head;
                    for (int i = 1; i < count; i++) {
                        tailIndex += 1 + readLink(side, base + (long) tailIndex * blockSize);
                    }
                }
                writeLink(side, base + (long) tailIndex * blockSize, AnchorLayout.avail(anchor) - (tailIndex + 1));
            }
            if (descriptor.casAnchor(anchor, AnchorLayout.pack(PARTIAL, head, freed + count))) {
                if (state == FULL) {
                    partialLists[descriptor.sizeClass()].push(descriptor.id());
                }
                return;
            }
        }
    }

    /**
     * Maps a new superblock and hands out its first {@code want} blocks. The rest stay on its free list through the
     * zero relative links of fresh memory, and the superblock goes on the partial list. Nothing else can see the
     * superblock until the page map entries and the partial-list push publish it.
     */
    private int fillFromNewSuperblock(int sizeClass, int want, long[] out, int at) {
        decayIfDue();
        int superblockSize = SizeClasses.superblockSize(sizeClass);
        long base = mapSuperblock(sizeClass);
        if (base == 0) {
            return 0;
        }
        Descriptor descriptor = obtainDescriptor();
        if (descriptor == null) {
            releaseSuperblockMemory(base, sizeClass);
            return 0;
        }
        int blockCount = SizeClasses.blocksPerSuperblock(sizeClass);
        int blockSize = SizeClasses.blockSize(sizeClass);
        descriptor.initSuperblock(base, sizeClass, blockSize, blockCount, superblockSize, checked);
        int taken = Math.clamp(want, 1, blockCount);
        for (int i = 0; i < taken; i++) {
            out[at + i] = base + (long) i * blockSize;
        }
        boolean restIsFree = taken < blockCount;
        descriptor.svAnchor(restIsFree
            ? AnchorLayout.pack(PARTIAL, taken, blockCount - taken)
            : AnchorLayout.pack(FULL, 0, 0));
        liveSuperblocks.incrementAndGet();
        if (arena.contains(base)) {
            arena.mark(base, sizeClass);
        }
        pageMap.set(base, superblockSize, descriptor);
        if (restIsFree) {
            partialLists[sizeClass].push(descriptor.id());
        }
        return taken;
    }

    /**
     * Returns the blocks {@code blocks[from .. to)} to their superblocks. Consecutive blocks of one superblock form a
     * group that goes back with a single anchor CAS.
     */
    public void flush(long[] blocks, int from, int to) {
        int i = from;
        while (i < to) {
            Descriptor descriptor = pageMap.lookup(blocks[i]);
            assert descriptor != null && descriptor.sizeClass() >= 0 : Long.toHexString(blocks[i]);
            long base = descriptor.base();
            long span = (long) descriptor.blockCount() * descriptor.blockSize();
            int end = i + 1;
            while (end < to && Long.compareUnsigned(blocks[end] - base, span) < 0) {
                end++;
            }
            returnGroup(descriptor, blocks, i, end);
            i = end;
        }
    }

    /**
     * Links {@code blocks[from .. to)} (all of one superblock, all ours) into a chain and pushes it in front of the
     * superblock's free list. Linearizes at the anchor CAS; a push in front is ABA-safe. FULL to PARTIAL puts the
     * superblock on its partial list. Reaching every block either keeps the superblock PARTIAL with all blocks free,
     * while the retention budget allows (so bursts do not map and unmap), or makes it EMPTY and releases its memory;
     * FULL straight to EMPTY means it is in no list, so it is retired here (lrmalloc leaks it). Class, base and count
     * are read before the CAS: once EMPTY, a popper may recycle the descriptor at any moment.
     */
    private void returnGroup(Descriptor descriptor, long[] blocks, int from, int to) {
        int sizeClass = descriptor.sizeClass();
        long base = descriptor.base();
        int blockSize = SizeClasses.blockSize(sizeClass);
        int blockCount = SizeClasses.blocksPerSuperblock(sizeClass);
        boolean side = sideLinked(sizeClass, base);
        int head = SizeClasses.blockIndex(sizeClass, blocks[from] - base);
        int previous = head;
        for (int k = from + 1; k < to; k++) {
            int index = SizeClasses.blockIndex(sizeClass, blocks[k] - base);
            writeLink(side, blocks[k - 1], index - (previous + 1));
            previous = index;
        }
        long tail = blocks[to - 1];
        int tailIndex = previous;
        int returned = to - from;
        int superblockSize = SizeClasses.superblockSize(sizeClass);
        boolean retained = false;
        while (true) {
            long anchor = descriptor.lvAnchor();
            int state = AnchorLayout.state(anchor);
            int count = AnchorLayout.count(anchor);
            assert state != EMPTY && count + returned <= blockCount : descriptor;
            if (count > 0) {
                writeLink(side, tail, AnchorLayout.avail(anchor) - (tailIndex + 1));
            }
            int newCount = count + returned;
            boolean allFree = newCount == blockCount;
            if (allFree && !retained) {
                retained = tryRetain(superblockSize);
            } else if (!allFree && retained) {
                releaseRetention(superblockSize);
                retained = false;
            }
            int newState = allFree && !retained ? EMPTY : PARTIAL;
            if (retained) {
                descriptor.spRetainedEpoch(retentionEpoch);
            }
            if (descriptor.casAnchor(anchor, AnchorLayout.pack(newState, head, newCount))) {
                if (retained && ThreadLocalRandom.current().nextInt(DECAY_CHECK_INTERVAL) == 0) {
                    decayIfDue();
                }
                if (newState == EMPTY) {
                    releaseSuperblock(base, sizeClass);
                    if (state == FULL) {
                        retire(descriptor);
                    }
                } else if (state == FULL) {
                    partialLists[sizeClass].push(descriptor.id());
                }
                return;
            }
        }
    }

    /** Counts a wholly free superblock as kept: within the budget, or past it while decay keeps such superblocks. */
    private boolean tryRetain(int superblockSize) {
        return retainedBytes.tryAdd(superblockSize, decayNanos == 0 ? retainLimit : Long.MAX_VALUE) >= 0;
    }

    private void releaseRetention(int superblockSize) {
        retainedBytes.subtract(superblockSize);
    }

    /** Releases every wholly free superblock kept for reuse, class by class. */
    public void releaseRetainedSuperblocks() {
        for (int sizeClass = 0; sizeClass < partialLists.length; sizeClass++) {
            releaseRetainedSuperblocks(sizeClass);
        }
    }

    /** Releases the wholly free superblocks of {@code sizeClass} kept for reuse. */
    public void releaseRetainedSuperblocks(int sizeClass) {
        releaseRetained(sizeClass, Integer.MAX_VALUE, 0);
    }

    /**
     * The decay pass, run by the one thread that moves {@link #nextDecay} once it is due, from a flush that kept a
     * superblock or a fill that maps one (so an idle heap keeps what it holds until it is used again, or trimmed):
     * releases the wholly free superblocks kept before the previous pass, down to the retention budget. Each is thus
     * kept between one and two decay periods, so a program that frees and reallocates in bursts reuses them (no
     * page faults, no system calls), and one that stops needing them gets its RSS back.
     */
    private void decayIfDue() {
        long due = nextDecay.get();
        long now = System.nanoTime();
        if (decayNanos == 0 || now - due < 0 || !nextDecay.compareAndSet(due, now + decayNanos)) {
            return;
        }
        int keptSince = retentionEpoch;
        retentionEpoch = keptSince + 1;
        for (int sizeClass = 0; sizeClass < partialLists.length && retainedBytes.get() > retainLimit; sizeClass++) {
            releaseRetained(sizeClass, keptSince, retainLimit);
        }
    }

    /**
     * Releases wholly free superblocks of {@code sizeClass} kept before epoch {@code keptSince}, while more than
     * {@code floorBytes} are kept. Pops the partial list empty, retires EMPTY descriptors, turns the chosen wholly
     * free ones EMPTY (nobody else can touch a popped superblock that has no block outside its free list) and pushes
     * the rest back in their order. Concurrent fills may map a new superblock meanwhile; that is all.
     */
    private void releaseRetained(int sizeClass, int keptSince, long floorBytes) {
        DescriptorStack partial = partialLists[sizeClass];
        int[] keep = new int[16];
        int kept = 0;
        for (int id = partial.pop(); id != StackHeadLayout.NONE; id = partial.pop()) {
            Descriptor descriptor = registry.get(id);
            long anchor = descriptor.lvAnchor();
            int blockCount = descriptor.blockCount();
            if (AnchorLayout.state(anchor) == EMPTY) {
                retire(descriptor);
            } else if (AnchorLayout.count(anchor) == blockCount && descriptor.lpRetainedEpoch() < keptSince
                && retainedBytes.get() > floorBytes
                && descriptor.casAnchor(anchor, AnchorLayout.pack(EMPTY, 0, blockCount))) {
                int superblockSize = SizeClasses.superblockSize(sizeClass);
                releaseRetention(superblockSize);
                releaseSuperblock(descriptor.base(), sizeClass);
                retire(descriptor);
            } else {
                if (kept == keep.length) {
                    keep = Arrays.copyOf(keep, 2 * kept);
                }
                keep[kept++] = id;
            }
        }
        for (int i = kept - 1; i >= 0; i--) {
            partial.push(keep[i]);
        }
    }

    private void releaseSuperblock(long base, int sizeClass) {
        pageMap.set(base, SizeClasses.superblockSize(sizeClass), null);
        liveSuperblocks.decrementAndGet();
        releaseSuperblockMemory(base, sizeClass);
    }

    /** Reserves a superblock's size under the limit and takes its range from the arena, or else from the source. */
    private long mapSuperblock(int sizeClass) {
        int superblockSize = SizeClasses.superblockSize(sizeClass);
        if (!limit.tryReserve(superblockSize)) {
            return 0;
        }
        long base = arena.take(sizeClass);
        return base != 0 ? base : mapWithinReservation(superblockSize, SizeClasses.SUPERBLOCK_ALIGNMENT);
    }

    /** Gives a superblock's memory back where {@link #mapSuperblock} got it, and its size back to the limit. */
    private void releaseSuperblockMemory(long base, int sizeClass) {
        int superblockSize = SizeClasses.superblockSize(sizeClass);
        if (arena.contains(base)) {
            arena.release(base, sizeClass);
            limit.release(superblockSize);
        } else {
            unmapReserved(base, superblockSize);
        }
    }

    /**
     * Maps a large allocation: its own page-rounded mapping, aligned to {@code alignment} (at least the superblock
     * alignment, so page map units never mix), one descriptor, one page map entry. A size of 0 (an aligned
     * allocation past the pooled alignments) still gets a page, so that its address stays ours and unique.
     *
     * @return the address, or 0 if the size is impossible, past the limit, or refused by the OS
     */
    public long allocateLarge(long size, long alignment) {
        if (size > MAX_LARGE_SIZE || alignment > MAX_LARGE_SIZE) {
            return 0;
        }
        long mappingSize = Math.max(OsMemory.PAGE_SIZE, (size + OsMemory.PAGE_SIZE - 1) & -OsMemory.PAGE_SIZE);
        long address = mapReserved(mappingSize, Math.max(alignment, SizeClasses.SUPERBLOCK_ALIGNMENT));
        if (address == 0) {
            return 0;
        }
        Descriptor descriptor = obtainDescriptor();
        if (descriptor == null) {
            unmapReserved(address, mappingSize);
            return 0;
        }
        descriptor.initLarge(address, mappingSize);
        descriptor.svAnchor(AnchorLayout.pack(FULL, 0, 0));
        largeBytes.addAndGet(mappingSize);
        pageMap.set(address, 1, descriptor);
        return address;
    }

    /**
     * Frees the large allocation of {@code descriptor}, whose user address is {@code address}. The anchor CAS FULL
     * to EMPTY admits exactly one free, so a racing double free is always caught.
     *
     * @throws IllegalStateException if it was freed already
     */
    public void freeLarge(Descriptor descriptor, long address) {
        long mappingSize = descriptor.mappingSize();
        long anchor = descriptor.lvAnchor();
        if (AnchorLayout.state(anchor) != FULL || !descriptor.casAnchor(anchor, AnchorLayout.pack(EMPTY, 0, 0))) {
            throw new IllegalStateException("double free of 0x" + Long.toHexString(address));
        }
        pageMap.set(address, 1, null);
        largeBytes.addAndGet(-mappingSize);
        unmapReserved(address, mappingSize);
        retire(descriptor);
    }

    private long mapReserved(long size, long alignment) {
        return limit.tryReserve(size) ? mapWithinReservation(size, alignment) : 0;
    }

    /** Maps {@code size} bytes already reserved under the limit; gives the reservation back if the source refuses. */
    private long mapWithinReservation(long size, long alignment) {
        long address = source.map(size, alignment);
        if (address == 0) {
            limit.release(size);
        }
        return address;
    }

    private void unmapReserved(long address, long size) {
        source.unmap(address, size);
        limit.release(size);
    }

    private Descriptor obtainDescriptor() {
        int id = retiredDescriptors.pop();
        return id == StackHeadLayout.NONE ? registry.create() : registry.get(id);
    }

    private void retire(Descriptor descriptor) {
        descriptor.markRetired();
        retiredDescriptors.push(descriptor.id());
    }

    /** Returns the arena superblocks are carved from ({@link SuperblockArena#NONE} when each is mapped alone). */
    public SuperblockArena arena() {
        return arena;
    }

    /** Returns the descriptor owning {@code address}'s 64 KiB unit, or {@code null}. Any thread. */
    public Descriptor descriptorOf(long address) {
        return pageMap.lookup(address);
    }

    /** Returns the partial list of {@code sizeClass}, for heap walks. */
    DescriptorStack partialList(int sizeClass) {
        return partialLists[sizeClass];
    }

    /** Returns the stack of retired descriptors waiting for reuse, for heap walks. */
    DescriptorStack retiredDescriptors() {
        return retiredDescriptors;
    }

    /** Returns the registry, for heap walks. */
    DescriptorRegistry registry() {
        return registry;
    }

    /** Reads the stored link of the free block {@code block} of {@code descriptor}'s superblock, for heap walks. */
    int readLink(Descriptor descriptor, long block) {
        return readLink(sideLinked(descriptor.sizeClass(), descriptor.base()), block);
    }

    /** Returns the memory limit and the bytes mapped under it. */
    public MemoryLimit limit() {
        return limit;
    }

    /** Returns the bytes of wholly free superblocks kept mapped for reuse now. */
    public long retainedBytes() {
        return retainedBytes.get();
    }

    /** Returns the number of superblocks mapped now. */
    public long liveSuperblocks() {
        return liveSuperblocks.get();
    }

    /** Returns the bytes mapped for large allocations now. */
    public long largeBytes() {
        return largeBytes.get();
    }
}
