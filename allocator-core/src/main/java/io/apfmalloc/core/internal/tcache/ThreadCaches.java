package io.apfmalloc.core.internal.tcache;

import io.apfmalloc.core.internal.heap.Heap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Which cache a thread uses. Platform threads get a cache of their own, up to a bound; virtual threads, and platform
 * threads past the bound, share a small set of striped caches taken with {@link ThreadCache#tryLock} (never parking:
 * a stripe is held only for one malloc or free). A dead thread's cache is flushed back to the heap: found by the scan
 * that runs whenever a cache is created or the heap runs short, by {@link #trim}, and at the latest when the
 * {@link Thread} object is collected.
 */
public final class ThreadCaches {
    private static final Cleaner CLEANER = Cleaner.create();
    /** Marks, in the thread-local slot, a platform thread that uses the shared stripes. */
    private static final ThreadCache USES_STRIPES = new ThreadCache(null, null, "uses-stripes");
    private static final int SPINS_BEFORE_YIELD = 64;
    /**
     * Slots of the lookup by thread id: a power of two, far above the default {@code maxThreadCaches}, so that
     * threads alive at once rarely share one (ids are handed out in sequence).
     */
    private static final int THREAD_SLOTS = 1024;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(ThreadCache[].class);

    private final Heap heap;
    private final CachePolicy policy;
    private final int maxOwnCaches;
    private final ThreadLocal<ThreadCache> ownCache = new ThreadLocal<>();
    /**
     * Own caches by {@code threadId & (THREAD_SLOTS - 1)}: the fast way a platform thread finds its cache, one load
     * and one compare of the cache's owner id, where {@link #ownCache} costs a hash lookup. Deliberately racy (plain
     * reads and writes): a thread only ever uses a slot's cache if its owner id is the thread's own, which the final
     * field guarantees to read right; threads sharing a slot overwrite each other and fall back to the thread local.
     */
    private final ThreadCache[] byThreadId = new ThreadCache[THREAD_SLOTS];
    private final ThreadCache[] stripes;
    /** Caches of platform threads, live or dead but not yet flushed. Guarded by {@code this}. */
    private final List<OwnedCache> owned = new ArrayList<>();
    /** Caches their users bind to threads themselves. Guarded by {@code this}. */
    private final List<ThreadCache> explicit = new ArrayList<>();

    /**
     * A platform thread's registered cache. The thread's {@link Cleaner} action holds this entry until the
     * {@link Thread} object is collected, which may be long after the thread ended and its cache was reclaimed, so a
     * reclaim drops the cache from the entry: what stays behind is a few bytes, not the cache's bins. Guarded by the
     * registry's lock.
     */
    private static final class OwnedCache {
        private final WeakReference<Thread> owner;
        private ThreadCache cache;

        OwnedCache(ThreadCache cache, Thread owner) {
            this.cache = cache;
            this.owner = new WeakReference<>(owner);
        }

        boolean ownerDead() {
            Thread thread = owner.get();
            return thread == null || !thread.isAlive();
        }

        /** Returns the cache's blocks to the heap and lets go of the cache. */
        void flushAndForget() {
            cache.flushAll();
            cache = null;
        }
    }

    /**
     * Makes the registry.
     *
     * @param heap         the heap every cache fills from
     * @param policy       how caches size their bins
     * @param maxOwnCaches how many platform threads may have a cache of their own at once
     * @param stripeCount  how many shared caches the other threads use
     */
    public ThreadCaches(Heap heap, CachePolicy policy, int maxOwnCaches, int stripeCount) {
        this.heap = heap;
        this.policy = policy;
        this.maxOwnCaches = maxOwnCaches;
        this.stripes = new ThreadCache[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new ThreadCache(heap, policy, "shared-" + i);
        }
    }

    /**
     * Returns the calling thread's own cache, or {@code null} if it must use a shared stripe. Creates the cache on a
     * platform thread's first call.
     */
    private ThreadCache ownCache() {
        long threadId = Thread.currentThread().threadId();
        ThreadCache cache = (ThreadCache) SLOTS.get(byThreadId, slot(threadId));
        return cache != null && cache.ownerThreadId == threadId ? cache : lookUpOwnCache(threadId);
    }

    /** The slow way to {@link #ownCache()}: the thread local, which also registers a new cache; fills the slot. */
    private ThreadCache lookUpOwnCache(long threadId) {
        ThreadCache cache = ownCache.get();
        if (cache == null) {
            Thread thread = Thread.currentThread();
            if (thread.isVirtual()) {
                return null;
            }
            cache = registerOwnCache(thread);
            ownCache.set(cache == null ? USES_STRIPES : cache);
        }
        if (cache == null || cache == USES_STRIPES) {
            return null;
        }
        SLOTS.set(byThreadId, slot(threadId), cache);
        return cache;
    }

    private static int slot(long threadId) {
        return (int) threadId & (THREAD_SLOTS - 1);
    }

    private ThreadCache registerOwnCache(Thread thread) {
        reclaimDeadThreadCaches();
        synchronized (this) {
            if (owned.size() >= maxOwnCaches) {
                return null;
            }
            ThreadCache cache = new ThreadCache(heap, policy, thread);
            OwnedCache entry = new OwnedCache(cache, thread);
            owned.add(entry);
            CLEANER.register(thread, () -> reclaim(entry));
            return cache;
        }
    }

    /**
     * Allocates a block of {@code sizeClass} from {@code explicit}, or, when it is null, from the calling thread's
     * own cache, or else from a shared stripe locked for the call. Kept small so that the JIT inlines it.
     *
     * @return the block's address, or 0 if the heap could not provide memory
     */
    public long allocate(ThreadCache explicit, int sizeClass, Tracking tracking) {
        ThreadCache cache = unlockedCache(explicit);
        return cache != null ? tracking.allocate(cache, sizeClass) : allocateFromStripe(sizeClass, tracking);
    }

    /**
     * Gives {@code block} of {@code sizeClass} to {@code explicit}, or, when it is null, to the calling thread's own
     * cache, or else to a shared stripe locked for the call. Kept small so that the JIT inlines it.
     */
    public void free(ThreadCache explicit, int sizeClass, long block, Tracking tracking) {
        ThreadCache cache = unlockedCache(explicit);
        if (cache != null) {
            tracking.free(cache, sizeClass, block);
        } else {
            freeToStripe(sizeClass, block, tracking);
        }
    }

    /** Returns the cache a call uses without a lock: {@code explicit}, else the calling thread's own, else null. */
    private ThreadCache unlockedCache(ThreadCache explicit) {
        return explicit != null ? explicit : ownCache();
    }

    private long allocateFromStripe(int sizeClass, Tracking tracking) {
        ThreadCache stripe = lockStripe();
        try {
            return tracking.allocate(stripe, sizeClass);
        } finally {
            stripe.unlock();
        }
    }

    private void freeToStripe(int sizeClass, long block, Tracking tracking) {
        ThreadCache stripe = lockStripe();
        try {
            tracking.free(stripe, sizeClass, block);
        } finally {
            stripe.unlock();
        }
    }

    /**
     * Before an allocation fails, returns what the caller's side holds: the caches of threads that ended, and
     * {@code explicit} or else the calling thread's own cache. Other live threads' caches stay with their owners.
     */
    public void flushForRecovery(ThreadCache explicit) {
        reclaimDeadThreadCaches();
        ThreadCache own = unlockedCache(explicit);
        if (own != null) {
            own.flushAll();
        }
    }

    /**
     * Takes a shared stripe for one operation, starting at a slot picked by thread id so that threads spread out.
     * Spins over the stripes and yields between rounds; a holder never blocks inside, so this ends quickly.
     * The caller must {@link ThreadCache#unlock} it.
     */
    private ThreadCache lockStripe() {
        int start = (int) ((Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L) >>> 33) % stripes.length;
        for (int round = 0; ; round++) {
            for (int i = 0; i < stripes.length; i++) {
                ThreadCache stripe = stripes[(start + i) % stripes.length];
                if (stripe.tryLock()) {
                    return stripe;
                }
            }
            if (round % SPINS_BEFORE_YIELD == SPINS_BEFORE_YIELD - 1) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Makes and registers a cache that its user binds to one thread and unregisters when done. */
    public synchronized ThreadCache registerExplicit(String owner) {
        ThreadCache cache = new ThreadCache(heap, policy, owner);
        explicit.add(cache);
        return cache;
    }

    /** Flushes {@code cache} and forgets it. Its user's thread only, or after that thread is done with it. */
    public void unregisterExplicit(ThreadCache cache) {
        cache.flushAll();
        synchronized (this) {
            explicit.remove(cache);
        }
    }

    /** Flushes the calling thread's own cache, if it has one. */
    public void flushOwnCache() {
        ThreadCache cache = ownCache.get();
        if (cache != null && cache != USES_STRIPES) {
            cache.flushAll();
        }
    }

    /**
     * Flushes and forgets the caches of threads that ended. Any thread. Flushes happen under the registry's lock, so
     * when this returns no reclaim started elsewhere (the {@link Cleaner}'s) is still under way.
     */
    public synchronized void reclaimDeadThreadCaches() {
        owned.removeIf(entry -> {
            if (!entry.ownerDead()) {
                return false;
            }
            forget(entry);
            return true;
        });
    }

    private synchronized void reclaim(OwnedCache entry) {
        if (owned.remove(entry)) {
            forget(entry);
        }
    }

    /** Flushes an ended thread's cache and lets go of it, in its lookup slot too (unless another took the slot). */
    private void forget(OwnedCache entry) {
        ThreadCache cache = entry.cache;
        SLOTS.compareAndSet(byThreadId, slot(cache.ownerThreadId), cache, null);
        entry.flushAndForget();
    }

    /**
     * Returns cached memory to the heap: the caller's own cache, dead threads' caches and every shared stripe.
     * Live threads' own caches stay as they are (only their owners may touch them).
     */
    public void trim() {
        flushOwnCache();
        reclaimDeadThreadCaches();
        for (ThreadCache stripe : stripes) {
            while (!stripe.tryLock()) {
                Thread.onSpinWait();
            }
            try {
                stripe.flushAll();
            } finally {
                stripe.unlock();
            }
        }
    }

    /**
     * Returns how many threads have a cache of their own: platform threads' (including dead ones not yet reclaimed)
     * and explicitly bound ones.
     */
    public synchronized int ownCacheCount() {
        return owned.size() + explicit.size();
    }

    /** Passes every cache (own caches, then stripes) to {@code action}; for audits and metrics. */
    public void forEachCache(Consumer<ThreadCache> action) {
        List<ThreadCache> all = new ArrayList<>();
        synchronized (this) {
            for (OwnedCache entry : owned) {
                all.add(entry.cache);
            }
            all.addAll(explicit);
        }
        all.addAll(List.of(stripes));
        all.forEach(action);
    }
}
