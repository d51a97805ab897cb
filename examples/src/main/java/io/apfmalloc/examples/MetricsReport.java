package io.apfmalloc.examples;

import io.apfmalloc.netty.ApfByteBufAllocatorMetric;
import java.util.Locale;

/**
 * Formats an {@link io.apfmalloc.netty.ApfByteBufAllocator}'s metrics as text: what the servers print on demand.
 *
 * <pre>
 * [metrics] usedDirectMemory=1310720 liveDirectBuffers=0 liveDirectBytes=0 usedHeapMemory=0 threadCaches=3
 * [metrics]      2048 B: allocations=5120 fetches=2 APF=2560.0 cachedBlocks=63 returned=0
 * </pre>
 *
 * <p>The first line compares memory held from the OS ({@code usedDirectMemory}) with what live buffers use; each
 * further line is one size class summed over every cache, with the APF tuner's record: allocations served, trips
 * to the shared heap (fetches), allocations per fetch achieved, blocks cached now and blocks given back.
 */
public final class MetricsReport {
    private MetricsReport() {
    }

    /**
     * Returns the report, one line per figure group, each line starting with {@code [metrics]}.
     *
     * @param metric the allocator's metrics, read afresh
     */
    public static String format(ApfByteBufAllocatorMetric metric) {
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT,
            "[metrics] usedDirectMemory=%d liveDirectBuffers=%d liveDirectBytes=%d usedHeapMemory=%d"
                + " threadCaches=%d%n",
            metric.usedDirectMemory(), metric.liveDirectBuffers(), metric.liveDirectBytes(),
            metric.usedHeapMemory(), metric.threadCaches().size()));
        for (ApfByteBufAllocatorMetric.SizeClass sizeClass : metric.sizeClasses()) {
            report.append(String.format(Locale.ROOT,
                "[metrics] %9d B: allocations=%d fetches=%d APF=%.1f cachedBlocks=%d returned=%d%n",
                sizeClass.blockSize(), sizeClass.allocations(), sizeClass.fetches(),
                sizeClass.allocationsPerFetch(), sizeClass.cachedBlocks(), sizeClass.blocksReturned()));
        }
        return report.toString();
    }
}
