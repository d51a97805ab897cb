package io.apfmalloc.netty;

import io.apfmalloc.core.AllocatorStats;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * The periodic JFR event {@link ApfJfr} emits for each registered allocator: its memory, as the metric reads it.
 * The core maps its memory with {@code mmap}, outside the JVM's own accounting: JFR's direct-buffer statistics and
 * Native Memory Tracking do not see it; this event does.
 */
@Name(ApfJfr.EVENT_NAME)
@Label("apfmalloc Allocator Metrics")
@Category({"apfmalloc", "Memory"})
@Description("Memory an ApfByteBufAllocator holds from the OS, and what its live buffers and caches use of it")
@Period("1 s")
@StackTrace(false)
final class AllocatorMetricsEvent extends Event {
    @Label("Allocator")
    @Description("The allocator's identity hash, as the id tag of its Micrometer meters")
    String allocator;

    @Label("Used Direct Memory")
    @Description("Bytes the direct core has mapped from the OS: the footprint")
    @DataAmount
    long usedDirectMemory;

    @Label("Live Direct Bytes")
    @Description("Summed capacities of direct buffers not yet released")
    @DataAmount
    long liveDirectBytes;

    @Label("Live Direct Buffers")
    long liveDirectBuffers;

    @Label("Cached Direct Bytes")
    @Description("Bytes sitting free in thread caches and shared stripes")
    @DataAmount
    long cachedDirectBytes;

    @Label("Retained Direct Bytes")
    @Description("Bytes of wholly free superblocks kept mapped for reuse")
    @DataAmount
    long retainedDirectBytes;

    @Label("Used Heap Memory")
    @Description("Java heap held by the heap core's byte[] superblocks")
    @DataAmount
    long usedHeapMemory;

    @Label("Live Heap Bytes")
    @Description("Summed capacities of heap buffers not yet released")
    @DataAmount
    long liveHeapBytes;

    @Label("Memory Limit")
    @Description("The direct core's limit on mapped bytes")
    @DataAmount
    long memoryLimit;

    /** Emits the event for {@code allocator}, read now. */
    static void emit(ApfByteBufAllocator allocator) {
        ApfByteBufAllocatorMetric metric = allocator.metric();
        AllocatorStats direct = metric.directStats();
        AllocatorMetricsEvent event = new AllocatorMetricsEvent();
        event.allocator = String.valueOf(allocator.hashCode());
        event.usedDirectMemory = direct.mappedBytes();
        event.liveDirectBytes = metric.liveDirectBytes();
        event.liveDirectBuffers = metric.liveDirectBuffers();
        event.cachedDirectBytes = direct.cachedBytes();
        event.retainedDirectBytes = direct.retainedBytes();
        event.usedHeapMemory = metric.usedHeapMemory();
        event.liveHeapBytes = metric.liveHeapBytes();
        event.memoryLimit = direct.memoryLimit();
        event.commit();
    }
}
