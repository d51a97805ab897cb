/**
 * The shared heap (DESIGN §2): per size class a lock-free partial list of superblocks, the fills and flushes that
 * move blocks between thread caches and superblocks, the retention budget, large allocations, and the recycling
 * stack of descriptors.
 *
 * <p>Naming of shared accesses, here and in every internal package (JCTools' prefixes): {@code lp}/{@code sp} plain
 * load and store, {@code lv}/{@code sv} volatile, {@code la}/{@code so} acquire load and release ("ordered") store,
 * {@code cas} compare-and-set. Each lock-free method's comment opens with its linearization point and how it
 * avoids ABA. Shared counters that are not on a lock-free protocol's path stay atomics: the bounded ones (mapped
 * bytes, retained bytes, carved arena units) one {@code BoundedCounter} each, whose growth is a bounded CAS loop; the
 * rest (live superblocks, large bytes, the decay clock) {@code AtomicLong}s with single atomic adds. They are read only
 * for limits and metrics.
 */
package io.apfmalloc.core.internal.heap;
