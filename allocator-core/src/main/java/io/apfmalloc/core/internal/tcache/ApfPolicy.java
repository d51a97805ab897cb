package io.apfmalloc.core.internal.tcache;

import io.apfmalloc.core.internal.sizeclass.SizeClasses;

/**
 * APF tuning (DESIGN §3): each bin gets an {@link ApfTuner} that sizes fetches and returns from the program's own
 * reuse, aiming for one fetch every {@code target} allocations. Bins keep the same hard bound as under
 * {@link LrmallocPolicy}, so a thread that only frees cannot grow its bin without limit.
 */
public final class ApfPolicy implements CachePolicy {
    /** How often, in allocations, a bin outside a burst refreshes its return threshold from the tuner. */
    static final int REFRESH_PERIOD = 64;
    /** Trace entries per burst allocation: room for the frees between allocations. */
    private static final int TRACE_ENTRIES_PER_ALLOCATION = 4;

    private final long target;
    private final int burstLength;
    private final int hibernationLength;
    private final long maxBinBytes;
    private final long maxFetchBytes;

    /**
     * Makes the policy.
     *
     * @param target            {@code T}: allocations per fetch to aim for
     * @param burstLength       {@code B}: allocations sampled per burst
     * @param hibernationLength {@code H}: allocations between bursts
     * @param maxBinBytes       the byte budget behind each bin's hard bound ({@link Bin#capacityFor})
     * @param maxFetchBytes     the most bytes one fetch brings; the return threshold stays within twice that
     */
    public ApfPolicy(long target, int burstLength, int hibernationLength, long maxBinBytes, long maxFetchBytes) {
        this.target = target;
        this.burstLength = burstLength;
        this.hibernationLength = hibernationLength;
        this.maxBinBytes = maxBinBytes;
        this.maxFetchBytes = maxFetchBytes;
    }

    /** Returns the most blocks one fetch into {@code bin} may bring: half the bin, and {@code maxFetchBytes}. */
    int maxFetchBlocks(Bin bin) {
        long byBytes = maxFetchBytes / SizeClasses.blockSize(bin.sizeClass());
        return (int) Math.max(1, Math.min(bin.capacity() / 2, byBytes));
    }

    long target() {
        return target;
    }

    int burstLength() {
        return burstLength;
    }

    int hibernationLength() {
        return hibernationLength;
    }

    int maxTraceLength() {
        return TRACE_ENTRIES_PER_ALLOCATION * burstLength;
    }

    @Override
    public int binCapacity(int sizeClass) {
        return Bin.capacityFor(sizeClass, maxBinBytes);
    }

    @Override
    public void initialize(Bin bin, ThreadCache cache) {
        bin.tuner = new ApfTuner(this, cache);
        bin.tuner.start(bin);
    }

    @Override
    public int blocksToFetch(Bin bin) {
        return bin.tuner.blocksToFetch(bin);
    }

    @Override
    public int blocksToReturn(Bin bin) {
        return bin.tuner.blocksToReturn(bin);
    }

    @Override
    public void onAllocationEvent(Bin bin, long block) {
        bin.tuner.onAllocationEvent(bin, block);
    }
}
