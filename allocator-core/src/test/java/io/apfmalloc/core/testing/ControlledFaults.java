package io.apfmalloc.core.testing;

import io.apfmalloc.core.MemoryFaultInjector;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault injector for tests: refuses every mapping during an outage, and otherwise each mapping with a seeded
 * probability. It counts what it was asked and what it refused. Any thread.
 */
public final class ControlledFaults implements MemoryFaultInjector {
    private final SplittableRandom random;
    private volatile double refusalProbability;
    private volatile boolean outage;
    private final AtomicLong mappingsAsked = new AtomicLong();
    private final AtomicLong mappingsRefused = new AtomicLong();

    /** Makes an injector that refuses nothing until told to; {@code seed} drives the random refusals. */
    public ControlledFaults(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public boolean refuseMapping(long bytes) {
        mappingsAsked.incrementAndGet();
        boolean refuse = outage || refusalProbability > 0 && nextDouble() < refusalProbability;
        if (refuse) {
            mappingsRefused.incrementAndGet();
        }
        return refuse;
    }

    private synchronized double nextDouble() {
        return random.nextDouble();
    }

    /** Starts or ends an outage: while it lasts, every mapping is refused. */
    public void outage(boolean on) {
        outage = on;
    }

    /** Refuses each mapping outside an outage with probability {@code probability} (0 to stop). */
    public void refuseRandomly(double probability) {
        refusalProbability = probability;
    }

    /** Returns how many mappings the allocator asked for. */
    public long mappingsAsked() {
        return mappingsAsked.get();
    }

    /** Returns how many of them were refused. */
    public long mappingsRefused() {
        return mappingsRefused.get();
    }
}
