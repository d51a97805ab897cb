package io.apfmalloc.benchmarks;

import io.apfmalloc.benchmarks.harness.Labelled;
import java.util.List;

/**
 * The two JVM modes every comparison runs in. Netty 4.2 on JDK 25 takes its fast mode (the JDK's internal unsafe
 * memory access) only when the JVM allows it; otherwise Netty's pooled chunks are shared {@code Arena}s and its
 * buffers go through {@code ByteBuffer}s. Ours uses {@code java.lang.foreign} in both, so only Netty's allocators
 * change between the modes.
 */
public enum JvmMode implements Labelled {
    /** JDK 25's defaults: Netty runs without its fast mode. */
    DEFAULT("JDK defaults", List.of()),
    /** Netty's fast mode: {@code --sun-misc-unsafe-memory-access=allow}. */
    FAST("Unsafe allowed", List.of("--sun-misc-unsafe-memory-access=allow"));

    private final String heading;
    private final List<String> flags;

    JvmMode(String heading, List<String> flags) {
        this.heading = heading;
        this.flags = flags;
    }

    /** Returns whether Netty may take its fast mode in this mode. */
    public boolean allowsUnsafe() {
        return !flags.isEmpty();
    }

    /** Returns the mode's name in report tables. */
    public String heading() {
        return heading;
    }

    /** Returns the JVM flags of this mode. */
    public List<String> flags() {
        return flags;
    }

    /** Returns the mode named {@code label} (any case). */
    public static JvmMode of(String label) {
        return Labelled.parse(JvmMode.class, "mode", label);
    }
}
