package io.apfmalloc.core.testing;

import io.apfmalloc.core.MemoryFaultInjector;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault injector a test steers while allocators use it from any thread: it refuses mappings with a seeded
 * probability, refuses the next few, or refuses all during an outage, and counts what it was asked and refused. The
 * n-th decision under a probability is the same in every run with the same seed (which thread asks n-th is not).
 */
public final class ControlledFaults implements MemoryFaultInjector {
    private final long seed;
    private final AtomicLong decisions = new AtomicLong();
    private final AtomicInteger refuseNext = new AtomicInteger();
    private final AtomicLong asked = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile double probability;
    private volatile boolean outage;

    /** Makes an injector that refuses nothing until told to; {@code seed} drives the random refusals. */
    public ControlledFaults(long seed) {
        this.seed = seed;
    }

    @Override
    public boolean refuseMapping(long bytes) {
        asked.incrementAndGet();
        boolean refuse = outage || refuseNext.getAndUpdate(count -> Math.max(0, count - 1)) > 0
            || probability > 0 && new SplittableRandom(seed + decisions.getAndIncrement()).nextDouble() < probability;
        if (refuse) {
            refused.incrementAndGet();
        }
        return refuse;
    }

    /** Refuses each mapping from now on with {@code probability}. */
    public void refuseWithProbability(double probability) {
        this.probability = probability;
    }

    /** Refuses the next {@code count} mappings. */
    public void refuseNext(int count) {
        refuseNext.set(count);
    }

    /** Refuses every mapping until {@link #stop()}. */
    public void startOutage() {
        outage = true;
    }

    /** Ends every kind of fault: mappings are granted again. */
    public void stop() {
        outage = false;
        probability = 0;
        refuseNext.set(0);
    }

    /** Returns how many mappings were asked for. */
    public long asked() {
        return asked.get();
    }

    /** Returns how many mappings were refused. */
    public long refused() {
        return refused.get();
    }
}
