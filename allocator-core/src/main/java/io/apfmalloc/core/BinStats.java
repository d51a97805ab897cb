package io.apfmalloc.core;

/**
 * One size class's bin in one thread cache.
 *
 * @param blockSize       the class's block size
 * @param cachedBlocks    free blocks in the bin now
 * @param returnThreshold the count at which a free makes the bin return blocks (APF: {@code 2·demand + 1})
 * @param capacity        the bin's hard bound in blocks
 * @param allocations     tracked allocations the bin served
 * @param fetches         trips to the shared heap
 * @param blocksFetched   blocks brought by those trips
 * @param blocksReturned  blocks given back to the heap
 */
public record BinStats(int blockSize, int cachedBlocks, int returnThreshold, int capacity, long allocations,
                       long fetches, long blocksFetched, long blocksReturned) {
    /** Returns the achieved allocations per fetch (0 before the first fetch). */
    public double allocationsPerFetch() {
        return fetches == 0 ? 0 : (double) allocations / fetches;
    }
}
