package io.apfmalloc.core;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.apfmalloc.core.internal.tcache.ApfPolicy;
import io.apfmalloc.core.internal.tcache.CachePolicy;
import io.apfmalloc.core.internal.tcache.LrmallocPolicy;
import java.lang.management.ManagementFactory;

/**
 * The effective settings of one allocator, every one resolved and checked by {@link ApfAllocator.Builder#build}, and
 * what follows from them: the cache policy, and the default memory limit of each kind.
 */
record Config(long maxMemory, MemoryKind memoryKind, boolean checked, int maxThreadCaches, int sharedCaches,
              long maxBinBytes, long retainBytes, long retainMillis, TuningPolicy tuningPolicy, long apfTarget,
              int apfBurstLength, int apfHibernationLength, long apfMaxFetchBytes) {
    /** Returns a new policy, as {@link #tuningPolicy} names it, that sizes the thread caches. */
    CachePolicy cachePolicy() {
        return switch (tuningPolicy) {
            case APF -> new ApfPolicy(apfTarget, apfBurstLength, apfHibernationLength, maxBinBytes, apfMaxFetchBytes);
            case LRMALLOC -> new LrmallocPolicy(maxBinBytes);
        };
    }

    /** Returns the memory limit when none is set: {@code -Xmx} on the heap, the direct-memory limit off it. */
    static long defaultMaxMemory(MemoryKind kind) {
        return kind == MemoryKind.HEAP ? Runtime.getRuntime().maxMemory() : defaultMaxDirectMemory();
    }

    /** Returns the JVM's {@code MaxDirectMemorySize}, or the heap limit when unset, as the JDK itself does. */
    private static long defaultMaxDirectMemory() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            long direct = Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
            if (direct > 0) {
                return direct;
            }
        } catch (RuntimeException | LinkageError e) {
            // Not a HotSpot VM: fall back to the heap limit.
        }
        return Runtime.getRuntime().maxMemory();
    }
}
