package io.apfmalloc.core.internal.tcache;

import io.apfmalloc.core.internal.heap.Heap;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongConsumer;

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

    private final Heap heap;
    private final CachePolicy policy;
    private final Bin[] bins = new Bin[SizeClasses.COUNT];
    /** Shared stripes only: 1 while a thread uses the stripe. */
    private int locked;

    /** Makes an empty cache over {@code heap}, sized by {@code policy}. */
    public ThreadCache(Heap heap, CachePolicy policy) {
        this.heap = heap;
        this.policy = policy;
    }

    /**
     * Returns a free block of class {@code sizeClass}, filling the bin from the heap if it is empty.
     *
     * @return the block's address, or 0 if the heap could not provide memory
     */
    public long allocate(int sizeClass) {
        Bin bin = bins[sizeClass];
        if (bin != null && bin.count > 0) {
            return bin.blocks[--bin.count];
        }
        return refillAndAllocate(sizeClass);
    }

    private long refillAndAllocate(int sizeClass) {
        Bin bin = bin(sizeClass);
        int fetched = heap.fill(sizeClass, Math.max(1, policy.blocksToFetch(bin)), bin.blocks, 0);
        if (fetched == 0) {
            return 0;
        }
        bin.count = fetched - 1;
        return bin.blocks[fetched - 1];
    }

    /** Takes back the free block {@code block} of class {@code sizeClass}, returning surplus blocks to the heap. */
    public void free(int sizeClass, long block) {
        Bin bin = bin(sizeClass);
        bin.blocks[bin.count++] = block;
        if (bin.count >= bin.returnThreshold) {
            returnSurplus(bin);
        }
    }

    /** Gives the policy's number of oldest blocks back, at least enough to leave room for the next free. */
    private void returnSurplus(Bin bin) {
        int minimum = bin.count - (bin.blocks.length - 1);
        int returned = Math.clamp(policy.blocksToReturn(bin), Math.max(0, minimum), bin.count);
        if (returned > 0) {
            heap.flush(bin.blocks, 0, returned);
            System.arraycopy(bin.blocks, returned, bin.blocks, 0, bin.count - returned);
            bin.count -= returned;
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

    /** Returns every cached block to the heap. Owner (or lock holder) only, or after the owner died. */
    public void flushAll() {
        for (Bin bin : bins) {
            if (bin != null && bin.count > 0) {
                heap.flush(bin.blocks, 0, bin.count);
                bin.count = 0;
            }
        }
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

    /** Passes every cached block to {@code action}; for heap audits, while the cache is quiescent. */
    public void forEachCachedBlock(LongConsumer action) {
        for (Bin bin : bins) {
            if (bin != null) {
                for (int i = 0; i < bin.count; i++) {
                    action.accept(bin.blocks[i]);
                }
            }
        }
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
