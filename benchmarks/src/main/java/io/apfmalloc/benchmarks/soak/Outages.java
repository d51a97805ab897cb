package io.apfmalloc.benchmarks.soak;

import io.apfmalloc.core.MemoryFaultInjector;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's fault injector: refuses every mapping while an outage is on, and otherwise each one with a fixed
 * probability, counting what it refused. Any thread.
 */
final class Outages implements MemoryFaultInjector {
    private final double refusalRate;
    private final SplittableRandom random;
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean on;

    Outages(double refusalRate, long seed) {
        this.refusalRate = refusalRate;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public boolean refuseMapping(long bytes) {
        boolean refuse = on || refusalRate > 0 && draw() < refusalRate;
        if (refuse) {
            refused.incrementAndGet();
        }
        return refuse;
    }

    private synchronized double draw() {
        return random.nextDouble();
    }

    /** Starts or ends an outage. */
    void set(boolean outage) {
        on = outage;
    }

    /** Returns how many mappings were refused so far. */
    long refused() {
        return refused.get();
    }
}
