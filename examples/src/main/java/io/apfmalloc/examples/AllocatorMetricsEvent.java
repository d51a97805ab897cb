package io.apfmalloc.examples;

import io.apfmalloc.core.AllocatorStats;
import io.apfmalloc.netty.ApfByteBufAllocator;
import io.apfmalloc.netty.ApfByteBufAllocatorMetric;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * A periodic JDK Flight Recorder event with an {@link ApfByteBufAllocator}'s figures, so that a recording shows the
 * allocator's memory next to GC, threads and sockets. The core maps its memory with {@code mmap} outside the JVM's
 * own accounting: JFR's direct-buffer statistics and Native Memory Tracking do not see it; this event does.
 *
 * <p>Call {@link #register} once (the example servers do), and record as usual:
 * {@code java -XX:StartFlightRecording:filename=rec.jfr ...}, then {@code jfr print --events
 * io.apfmalloc.AllocatorMetrics rec.jfr}. It is emitted every second while a recording runs (change it with the
 * recording setting {@code io.apfmalloc.AllocatorMetrics#period}), and costs nothing otherwise.
 */
@Name(AllocatorMetricsEvent.NAME)
@Label("apfmalloc Allocator Metrics")
@Category({"apfmalloc", "Memory"})
@Description("Memory an ApfByteBufAllocator holds from the OS, and what its live buffers and caches use of it")
@Period("1 s")
@StackTrace(false)
public final class AllocatorMetricsEvent extends Event {
    /** The event's name in recordings. */
    public static final String NAME = "io.apfmalloc.AllocatorMetrics";

    private static boolean registered;

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

    @Label("Memory Limit")
    @Description("The direct core's limit on mapped bytes")
    @DataAmount
    long memoryLimit;

    /** Made only by the periodic hook {@link #register} installs. */
    private AllocatorMetricsEvent() {
    }

    /**
     * Emits the event for {@link ApfByteBufAllocator#DEFAULT} periodically while a recording runs; a second call
     * does nothing. Any thread may call.
     */
    public static synchronized void register() {
        if (registered) {
            return;
        }
        registered = true;
        ApfByteBufAllocatorMetric metric = ApfByteBufAllocator.DEFAULT.metric();
        FlightRecorder.addPeriodicEvent(AllocatorMetricsEvent.class, () -> {
            AllocatorMetricsEvent event = new AllocatorMetricsEvent();
            AllocatorStats direct = metric.directStats();
            event.usedDirectMemory = direct.mappedBytes();
            event.liveDirectBytes = metric.liveDirectBytes();
            event.liveDirectBuffers = metric.liveDirectBuffers();
            event.cachedDirectBytes = direct.cachedBytes();
            event.retainedDirectBytes = direct.retainedBytes();
            event.usedHeapMemory = metric.usedHeapMemory();
            event.memoryLimit = direct.memoryLimit();
            event.commit();
        });
    }
}
