package io.apfmalloc.benchmarks.footprint;

import io.apfmalloc.benchmarks.harness.Labelled;

/** The phases of a footprint run, in order. */
public enum Phase implements Labelled {
    /** Event loops allocate buffers up to the live total. */
    BURST,
    /** Everything stays live for a while. */
    HOLD,
    /** The buffers are released. */
    RELEASE,
    /** Nothing happens: the event loops are idle, as a server's between bursts. */
    IDLE,
    /** Each event loop has asked its allocator to give back what it can, where the allocator has a way to. */
    TRIMMED;

    /** Returns the phase named {@code label} (any case). */
    public static Phase of(String label) {
        return Labelled.parse(Phase.class, "phase", label);
    }
}
