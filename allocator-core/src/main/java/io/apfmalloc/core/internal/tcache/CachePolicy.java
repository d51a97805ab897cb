package io.apfmalloc.core.internal.tcache;

/**
 * Decides how many blocks a thread cache fetches from the heap when a bin runs empty, and how many it gives back
 * when a free fills a bin to its return threshold. The mechanics (fill, flush, the hard bound of every bin) stay in
 * {@link ThreadCache}; a policy only chooses numbers. Called by the cache's owner only.
 */
public interface CachePolicy {
    /** Returns the hard bound of {@code sizeClass}'s bins, in blocks (see {@link Bin#capacityFor}). */
    int binCapacity(int sizeClass);

    /** Called once when a cache creates {@code bin}: sets its return threshold and next event. */
    void initialize(Bin bin);

    /** Returns how many blocks to fetch into the empty {@code bin}; at least 1. */
    int blocksToFetch(Bin bin);

    /**
     * Returns how many of the oldest blocks to give back now that a free brought {@code bin} to its return
     * threshold. The cache returns more if needed to keep room for the next free.
     */
    int blocksToReturn(Bin bin);

    /** Called when the bin's allocation clock reaches {@link Bin#nextEvent}, with the block just allocated. */
    void onAllocationEvent(Bin bin, long block);
}
