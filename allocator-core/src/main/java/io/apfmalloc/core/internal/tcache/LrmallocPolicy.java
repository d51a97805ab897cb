package io.apfmalloc.core.internal.tcache;

import io.apfmalloc.core.internal.sizeclass.SizeClasses;

/**
 * lrmalloc's policy with hysteresis: fetch up to a superblock's worth, let a bin grow to its byte budget, and when a
 * free reaches it, return the oldest half. (lrmalloc returns the whole bin; with a bin that one fill can fill, a
 * malloc/free pair at the boundary then empties and remaps a superblock every time.)
 */
public final class LrmallocPolicy implements CachePolicy {
    private final long maxBinBytes;

    /**
     * Makes the policy.
     *
     * @param maxBinBytes bytes a bin may hold before a free returns half of them; a bin still holds at least two
     *                    blocks, and briefly a superblock's worth after a fill
     */
    public LrmallocPolicy(long maxBinBytes) {
        this.maxBinBytes = maxBinBytes;
    }

    @Override
    public int binCapacity(int sizeClass) {
        return Bin.capacityFor(sizeClass, maxBinBytes);
    }

    @Override
    public void initialize(Bin bin) {
        bin.setReturnThreshold((int) Math.min(Integer.MAX_VALUE,
            maxBinBytes / SizeClasses.blockSize(bin.sizeClass())));
    }

    @Override
    public int blocksToFetch(Bin bin) {
        return Math.min(SizeClasses.blocksPerSuperblock(bin.sizeClass()), bin.returnThreshold() / 2);
    }

    @Override
    public int blocksToReturn(Bin bin) {
        return bin.count() - bin.returnThreshold() / 2;
    }

    @Override
    public void onAllocationEvent(Bin bin, long block) {
        bin.nextEvent = Long.MAX_VALUE;
    }
}
