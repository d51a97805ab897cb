package io.apfmalloc.benchmarks.footprint;

import java.util.Locale;

/** The phases of a footprint run, in order. */
public enum Phase {
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

    /** Returns the lower-case name used on command lines and in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the phase named {@code label} (any case). */
    public static Phase of(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }
}
