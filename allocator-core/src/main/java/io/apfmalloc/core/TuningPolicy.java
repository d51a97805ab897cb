package io.apfmalloc.core;

/** How thread caches decide how many blocks to fetch from the shared heap and how many to give back. */
public enum TuningPolicy {
    /**
     * Allocations Per Fetch: each bin samples its own allocation and free pattern and fetches just the blocks the
     * next {@code T} allocations need, returning the rest. The default.
     */
    APF,
    /** lrmalloc's fixed rule: fetch up to a superblock's worth, return half the bin when it reaches its budget. */
    LRMALLOC
}
