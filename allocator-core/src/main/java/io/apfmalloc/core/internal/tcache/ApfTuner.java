package io.apfmalloc.core.internal.tcache;

/**
 * The APF tuner of one bin (DESIGN §3): samples bursts of allocations and frees, turns each into a reuse curve, and
 * from it answers how many blocks the next {@code k} allocations need: {@code demand(k) = k - reuse(k)}. Fetches are
 * scheduled every {@code T} allocations (fetch {@code j} is due at allocation {@code j·T}), and each fetch brings the
 * demand until the next one is due.
 *
 * <p>Off the fast path: the bin calls in once per sampled allocation during a burst, and otherwise once every
 * {@link ApfPolicy#REFRESH_PERIOD} allocations to refresh the return threshold. Owner thread only; allocates nothing
 * after construction.
 */
final class ApfTuner {
    private final ApfPolicy config;
    private final IntervalExtractor extractor;
    private final ReuseCurve curve;
    private final long[] trace;
    private int traceLength;
    private int burstAllocations;
    private boolean sampling;
    private long hibernationEnd;
    private long fetches;

    ApfTuner(ApfPolicy config, IntervalExtractor extractor) {
        this.config = config;
        this.extractor = extractor;
        this.curve = new ReuseCurve(config.burstLength());
        this.trace = new long[config.maxTraceLength()];
    }

    /** Arms the bin: the first allocation starts the first burst. */
    void start(Bin bin) {
        bin.nextEvent = 1;
        bin.setReturnThreshold(thresholdFor(bin));
    }

    /**
     * Returns the blocks the next {@code k} allocations need. Within a sampled burst this is {@code k - reuse(k)};
     * past it, the burst's demand rate extrapolates linearly ({@code demand(n) · k / n}), because the target
     * {@code T} is usually longer than a burst. Before any burst, no reuse is assumed.
     */
    double demand(long k) {
        int n = curve.length();
        if (n == 0) {
            return k;
        }
        if (k <= n) {
            return k - curve.reuse((int) k);
        }
        return (n - curve.reuse(n)) * k / n;
    }

    /** Returns allocations until the next fetch is due: {@code T·(f+1) - t}, or {@code T} if that one is overdue. */
    long allocationsToNextFetch(Bin bin) {
        long due = config.target() * (fetches + 1) - bin.allocations;
        return due > 0 ? due : config.target();
    }

    /** A fetch: {@code clamp(ceil(demand(dAPF)), 1, cap)} blocks, the cap in blocks and bytes. */
    int blocksToFetch(Bin bin) {
        long wanted = (long) Math.ceil(demand(allocationsToNextFetch(bin)));
        fetches++;
        return (int) Math.clamp(wanted, 1, config.maxFetchBlocks(bin));
    }

    /** The return rule: with {@code d = demand(dAPF)}, a bin of {@code 2d + 1} or more returns {@code ceil(d) + 1}. */
    int blocksToReturn(Bin bin) {
        double need = Math.min(demand(allocationsToNextFetch(bin)), config.maxFetchBlocks(bin));
        int returned = bin.count >= 2 * need + 1 ? (int) Math.ceil(need) + 1 : 0;
        bin.setReturnThreshold(thresholdFor(bin));
        return returned;
    }

    /** {@code 2d + 1}, with {@code d} capped as a fetch is: a bin never keeps more than two fetches' worth. */
    private int thresholdFor(Bin bin) {
        double need = Math.min(demand(allocationsToNextFetch(bin)), config.maxFetchBlocks(bin));
        return (int) Math.ceil(2 * need + 1);
    }

    /** The bin's allocation count reached its next event; {@code block} is the allocation that reached it. */
    void onAllocationEvent(Bin bin, long block) {
        if (!sampling && bin.allocations >= hibernationEnd) {
            sampling = true;
            bin.tracingFrees = true;
        }
        if (sampling) {
            trace[traceLength++] = block;
            burstAllocations++;
            if (burstAllocations < config.burstLength() && traceLength < trace.length) {
                bin.nextEvent = bin.allocations + 1;
                return;
            }
            endBurst(bin);
        }
        bin.setReturnThreshold(thresholdFor(bin));
        bin.nextEvent = Math.min(hibernationEnd, bin.allocations + ApfPolicy.REFRESH_PERIOD);
    }

    /** Records a free during a burst; a full trace ends the burst at the next allocation. */
    void recordFree(long block) {
        if (traceLength < trace.length - 1) {
            trace[traceLength++] = block | IntervalExtractor.FREE_MARK;
        }
    }

    private void endBurst(Bin bin) {
        int intervals = extractor.extract(trace, traceLength);
        curve.compute(burstAllocations, extractor.frees, extractor.ends, intervals);
        sampling = false;
        bin.tracingFrees = false;
        traceLength = 0;
        burstAllocations = 0;
        hibernationEnd = bin.allocations + config.hibernationLength();
    }

    /** Returns the number of fetches the tuner scheduled. */
    long fetches() {
        return fetches;
    }

    /** Returns whether a burst is being sampled now. */
    boolean isSampling() {
        return sampling;
    }
}
