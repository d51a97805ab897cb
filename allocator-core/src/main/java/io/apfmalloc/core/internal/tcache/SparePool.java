package io.apfmalloc.core.internal.tcache;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A few spare objects shared by every thread cache of one allocator: the scratch arrays APF tuners need only while
 * they sample a burst or end one. Kept here instead of in each cache, an idle cache holds none of them (a cache that
 * kept its own held about 100 KiB of them), and a busy thread still makes none anew.
 *
 * <p>Lock-free: each slot is taken with one exchange ({@code getAndSet(null)}), so an object handed out is owned by
 * exactly one taker until it is given back; a gift takes an empty slot with one CAS. The scans are best-effort, not
 * linearizable as a bag: a take may miss an object given behind its scan (it then makes a new one), and a gift may
 * find every slot full after a take emptied one behind it (the object is then left to the garbage collector). Both
 * cost an allocation only, and bursts come once every few thousand allocations of a bin.
 */
final class SparePool<T> {
    private final AtomicReferenceArray<T> slots;
    private final Supplier<T> factory;

    /** Makes an empty pool of {@code capacity} slots that makes a new object with {@code factory} when empty. */
    SparePool(int capacity, Supplier<T> factory) {
        this.slots = new AtomicReferenceArray<>(capacity);
        this.factory = factory;
    }

    /** Returns a spare, now the caller's alone, or a new object if none is left. */
    T take() {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.getPlain(i) != null) {
                T spare = slots.getAndSet(i, null);
                if (spare != null) {
                    return spare;
                }
            }
        }
        return factory.get();
    }

    /** Gives {@code spare} back for another taker; the caller must not touch it after. Kept if a slot is free. */
    void give(T spare) {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.getPlain(i) == null && slots.compareAndSet(i, null, spare)) {
                return;
            }
        }
    }
}
