package io.apfmalloc.core.internal.tcache;

import java.util.Arrays;

/**
 * The APF tuner of one bin (DESIGN §3): samples bursts of allocations and frees, turns each into a reuse curve, and
 * from it answers how many blocks the next {@code k} allocations need: {@code demand(k) = k - reuse(k)}. Fetches are
 * scheduled every {@code T} allocations (fetch {@code j} is due at allocation {@code j·T}), and each fetch brings the
 * demand until the next one is due.
 *
 * <p>Off the fast path: the bin calls in once per sampled allocation during a burst, and otherwise once every
 * {@link ApfPolicy#REFRESH_PERIOD} allocations to refresh the return threshold. Owner thread only. It allocates
 * only while its trace grows: a burst (every {@code H} allocations) takes a trace an ended burst gave back to the
 * policy's spares, or a small new one, grows it as the burst goes (up to four entries per sampled allocation, 8 KiB
 * by default) and gives it back at its end; the curve (about 200 bytes by default) is made when the first burst ends.
 * A bin that was used a few times holds a few dozen bytes of tuner.
 */
final class ApfTuner {
    /** The first fetch before any burst ended; 16 blocks cost a ping-pong thread one fetch, as a bin of 16 does. */
    static final int SLOW_START_BLOCKS = 16;
    /** Past this many doublings the byte and bin caps bound a fetch anyway. */
    private static final int MAX_SLOW_START_DOUBLINGS = 20;

    /** The allocator's policy; it also keeps the spare traces and extractors every tuner borrows. */
    private final ApfPolicy config;
    /** The last burst's curve; made when the first burst ends, so a bin that never completes one pays nothing. */
    private ReuseCurve curve;
    /** The burst being sampled; taken from the policy's spares when it starts and given back when it ends. */
    private long[] trace;
    private int traceLength;
    private int burstAllocations;
    private boolean sampling;
    private long hibernationEnd;
    private long fetches;

    ApfTuner(ApfPolicy config) {
        this.config = config;
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
        int n = curve == null ? 0 : curve.length();
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

    /**
     * A fetch: {@code clamp(ceil(demand(dAPF)), 1, cap)} blocks, the cap in blocks and bytes. Until the first burst
     * ends nothing is known of reuse, and {@code demand} would be the whole {@code dAPF}: fetches then start at
     * {@link #SLOW_START_BLOCKS} and double, so a thread that uses a class a few times holds a few blocks of it, not
     * {@code T}.
     */
    int blocksToFetch(Bin bin) {
        long wanted = (long) Math.ceil(demand(allocationsToNextFetch(bin)));
        if (curve == null) {
            wanted = Math.min(wanted, (long) SLOW_START_BLOCKS << Math.min(fetches, MAX_SLOW_START_DOUBLINGS));
        }
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
            trace = config.traces.take();
        }
        if (sampling) {
            append(block);
            burstAllocations++;
            if (burstAllocations < config.burstLength() && traceLength < config.maxTraceLength()) {
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
        if (traceLength < config.maxTraceLength() - 1) {
            append(block | IntervalExtractor.FREE_MARK);
        }
    }

    /** Appends to the trace, doubling it as needed up to its most entries. */
    private void append(long entry) {
        if (traceLength == trace.length) {
            trace = Arrays.copyOf(trace, Math.min(config.maxTraceLength(), 2 * trace.length));
        }
        trace[traceLength++] = entry;
    }

    private void endBurst(Bin bin) {
        IntervalExtractor extractor = config.extractors.take();
        int intervals = extractor.extract(trace, traceLength);
        if (curve == null) {
            curve = new ReuseCurve(config.burstLength());
        }
        curve.compute(burstAllocations, extractor.frees, extractor.ends, intervals, extractor.slopeChanges);
        config.extractors.give(extractor);
        sampling = false;
        bin.tracingFrees = false;
        config.traces.give(trace);
        trace = null;
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
