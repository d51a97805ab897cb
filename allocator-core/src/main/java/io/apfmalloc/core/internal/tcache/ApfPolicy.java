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
    /** A burst's trace starts this small and doubles: a bin that allocates a few times holds a few entries. */
    private static final int INITIAL_TRACE_ENTRIES = 16;
    /**
     * Spare traces and extractors kept for all caches: bursts of one bin come every {@code H} allocations and last
     * {@code B}, so at any moment about one burst per running thread ends; a few per core are enough, and they bound
     * what the tuners of idle caches keep (each spare is at most {@code 32·B} bytes).
     */
    private static final int SPARES = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final long target;
    private final int burstLength;
    private final int hibernationLength;
    private final long maxBinBytes;
    private final long maxFetchBytes;
    /** Traces of ended bursts, for the next burst of any cache's bin. */
    final SparePool<long[]> traces;
    /** What turns a trace into intervals, borrowed for the moment a burst ends. */
    final SparePool<IntervalExtractor> extractors;

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
        this.traces = new SparePool<>(SPARES, () -> new long[INITIAL_TRACE_ENTRIES]);
        this.extractors = new SparePool<>(SPARES, () -> new IntervalExtractor(maxTraceLength()));
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
    public void initialize(Bin bin) {
        bin.tuner = new ApfTuner(this);
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
