package io.apfmalloc.core.internal.tcache;

import io.apfmalloc.core.internal.heap.Heap;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A thread cache: one {@link Bin} per size class, created on first use. Only one thread at a time may use a cache:
 * its owner for a per-thread cache, the lock holder for a shared stripe ({@link #tryLock}). Malloc and free touch
 * only the bin in the common case; an empty bin fills from the heap, a full one flushes to it.
 */
public final class ThreadCache {
    private static final VarHandle LOCKED;

    static {
        try {
            LOCKED = MethodHandles.lookup().findVarHandle(ThreadCache.class, "locked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@link #ownerThreadId} of a cache no single thread owns (a shared stripe, or one its user binds). */
    static final long NO_OWNER_THREAD = -1;

    private final Heap heap;
    private final CachePolicy policy;
    private final String owner;
    /**
     * The id of the platform thread that owns this cache, or {@link #NO_OWNER_THREAD}. Final, so that a thread that
     * finds this cache through a racy read sees it, and ids are never reused: no thread can take another's cache for
     * its own.
     */
    final long ownerThreadId;
    private final Bin[] bins = new Bin[SizeClasses.COUNT];
    /**
     * The bin of the last free, tried first by the next one: a free's class comes from a load of the block's
     * address, and taking the bin through a compare instead of indexing {@link #bins} by that class lets the CPU
     * push speculatively before the load returns, so that a malloc-free loop does not wait on the lookup.
     */
    private Bin lastFreed;
    /** Shared stripes only: 1 while a thread uses the stripe. */
    private int locked;

    /** Makes an empty cache over {@code heap}, sized by {@code policy}, named for metrics by {@code owner}. */
    public ThreadCache(Heap heap, CachePolicy policy, String owner) {
        this(heap, policy, owner, NO_OWNER_THREAD);
    }

    /** Makes the empty cache of {@code thread}, named after it. */
    ThreadCache(Heap heap, CachePolicy policy, Thread thread) {
        this(heap, policy, thread.getName(), thread.threadId());
    }

    private ThreadCache(Heap heap, CachePolicy policy, String owner, long ownerThreadId) {
        this.heap = heap;
        this.policy = policy;
        this.owner = owner;
        this.ownerThreadId = ownerThreadId;
    }

    /** Returns the name of the thread (or stripe) this cache belongs to. */
    public String owner() {
        return owner;
    }

    /**
     * Returns a free block of class {@code sizeClass}, filling the bin from the heap if it is empty. The allocation
     * advances the bin's tuner clock.
     *
     * @return the block's address, or 0 if the heap could not provide memory
     */
    public long allocate(int sizeClass) {
        Bin bin = bins[sizeClass];
        if (bin == null || bin.count == 0) {
            bin = refill(sizeClass);
            if (bin == null) {
                return 0;
            }
        }
        long block = bin.blocks[--bin.count];
        if (++bin.allocations >= bin.nextEvent) {
            policy.onAllocationEvent(bin, block);
        }
        return block;
    }

    /**
     * Returns a free block of class {@code sizeClass} without telling the tuner: for metadata that should not shape
     * the program's caches (the seed's "independent collections"). An empty bin fills by the policy's numbers but
     * the fetch is not counted as the tuner's.
     *
     * @return the block's address, or 0 if the heap could not provide memory
     */
    public long allocateUntracked(int sizeClass) {
        Bin bin = bins[sizeClass];
        if (bin == null || bin.count == 0) {
            bin = bin(sizeClass);
            if (fillBin(bin, 1) == 0) {
                return 0;
            }
        }
        return bin.blocks[--bin.count];
    }

    /** Fills the empty bin of {@code sizeClass} as its policy asks; returns it, or null if no memory came. */
    private Bin refill(int sizeClass) {
        Bin bin = bin(sizeClass);
        int wanted = Math.max(1, policy.blocksToFetch(bin));
        int fetched = fillBin(bin, wanted);
        if (fetched == 0) {
            return null;
        }
        bin.fetches++;
        bin.blocksFetched += fetched;
        return bin;
    }

    /**
     * Fills the empty {@code bin} with {@code wanted} blocks, or as many as the heap gives: one heap fill yields at
     * most one superblock's, so it takes several.
     */
    private int fillBin(Bin bin, int wanted) {
        int goal = Math.min(wanted, bin.capacity());
        bin.ensureRoom(goal);
        int fetched = 0;
        do {
            int got = heap.fill(bin.sizeClass, goal - fetched, bin.blocks, fetched);
            if (got == 0) {
                break;
            }
            fetched += got;
        } while (fetched < goal);
        bin.count = fetched;
        return fetched;
    }

    /**
     * Takes back the free block {@code block} of class {@code sizeClass}, returning surplus blocks to the heap.
     * During a sampled burst the free is traced for the tuner.
     */
    public void free(int sizeClass, long block) {
        Bin bin = lastFreed;
        if (bin == null || bin.sizeClass != sizeClass) {
            bin = bin(sizeClass);
            lastFreed = bin;
        }
        if (bin.tracingFrees) {
            bin.tuner.recordFree(block);
        }
        push(bin, block);
    }

    /** Takes back a block from {@link #allocateUntracked}, without telling the tuner. */
    public void freeUntracked(int sizeClass, long block) {
        push(bin(sizeClass), block);
    }

    private void push(Bin bin, long block) {
        if (bin.count == bin.blocks.length) {
            bin.ensureRoom(bin.count + 1);
        }
        bin.blocks[bin.count++] = block;
        if (bin.count >= bin.returnThreshold) {
            returnSurplus(bin);
        }
    }

    /** Gives the policy's number of oldest blocks back, at least enough to leave room for the next free. */
    private void returnSurplus(Bin bin) {
        int minimum = bin.count - (bin.capacity() - 1);
        int returned = Math.clamp(policy.blocksToReturn(bin), Math.max(0, minimum), bin.count);
        if (returned > 0) {
            heap.flush(bin.blocks, 0, returned);
            System.arraycopy(bin.blocks, returned, bin.blocks, 0, bin.count - returned);
            bin.count -= returned;
            bin.blocksReturned += returned;
        }
    }

    private Bin bin(int sizeClass) {
        Bin bin = bins[sizeClass];
        if (bin == null) {
            bin = new Bin(sizeClass, policy.binCapacity(sizeClass));
            policy.initialize(bin);
            bins[sizeClass] = bin;
        }
        return bin;
    }

    /**
     * Returns every cached block to the heap. Owner (or lock holder) only, or after the owner died.
     *
     * @return whether there was a block to return
     */
    public boolean flushAll() {
        boolean returned = false;
        for (Bin bin : bins) {
            if (bin != null && bin.count > 0) {
                heap.flush(bin.blocks, 0, bin.count);
                bin.blocksReturned += bin.count;
                bin.count = 0;
                bin.shrinkWhenEmpty();
                returned = true;
            }
        }
        return returned;
    }

    /** Returns the bytes held in this cache's bins. A racy estimate unless called by the owner. */
    public long cachedBytes() {
        long bytes = 0;
        for (Bin bin : bins) {
            if (bin != null) {
                bytes += (long) bin.count * SizeClasses.blockSize(bin.sizeClass);
            }
        }
        return bytes;
    }

    /** Passes every cached block, with its bin's size class, to {@code visitor}; for heap audits, while quiescent. */
    public void forEachCachedBlock(CachedBlockVisitor visitor) {
        for (Bin bin : bins) {
            if (bin != null) {
                for (int i = 0; i < bin.count; i++) {
                    visitor.visit(bin.sizeClass, bin.blocks[i]);
                }
            }
        }
    }

    /** Receives the blocks of {@link #forEachCachedBlock}. */
    @FunctionalInterface
    public interface CachedBlockVisitor {
        /** Called once per cached block, with the size class of the bin holding it. */
        void visit(int sizeClass, long block);
    }

    /** Returns the bin of {@code sizeClass}, or {@code null} if this cache never used the class. */
    public Bin binOrNull(int sizeClass) {
        return bins[sizeClass];
    }

    /** Tries to take this shared stripe; never blocks. */
    public boolean tryLock() {
        return (int) LOCKED.getOpaque(this) == 0 && LOCKED.compareAndSet(this, 0, 1);
    }

    /** Releases this shared stripe, publishing the bins' state to the next holder. */
    public void unlock() {
        LOCKED.setRelease(this, 0);
    }
}
