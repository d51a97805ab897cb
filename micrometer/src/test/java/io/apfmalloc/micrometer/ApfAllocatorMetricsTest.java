package io.apfmalloc.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.apfmalloc.netty.ApfByteBufAllocator;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The meters follow real allocations and releases; Micrometer's own Netty binder reads the allocator too. */
class ApfAllocatorMetricsTest {
    private static final int BUFFERS = 100;
    private static final int CAPACITY = 1000;
    /** The size class a 1000-byte buffer's block comes from. */
    private static final String CLASS_OF_CAPACITY = "1024";

    private final ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().preferDirect(true).build();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void metersMoveAsBuffersAreAllocatedAndReleased() throws InterruptedException {
        new ApfAllocatorMetrics(allocator).bindTo(registry);
        assertThat(gauge("apfmalloc.allocator.memory.live", "direct")).isZero();
        assertThat(gauge("netty.allocator.memory.used", "direct")).isZero();

        List<ByteBuf> direct = allocate(true);
        List<ByteBuf> heap = allocate(false);
        assertThat(gauge("apfmalloc.allocator.memory.live", "direct")).isEqualTo(BUFFERS * CAPACITY);
        assertThat(gauge("apfmalloc.allocator.buffers.live", "direct")).isEqualTo(BUFFERS);
        assertThat(gauge("apfmalloc.allocator.memory.live", "heap")).isEqualTo(BUFFERS * CAPACITY);
        assertThat(gauge("netty.allocator.memory.used", "direct"))
            .isEqualTo(allocator.metric().usedDirectMemory()).isGreaterThanOrEqualTo(BUFFERS * CAPACITY);
        assertThat(gauge("netty.allocator.memory.used", "heap")).isGreaterThanOrEqualTo(BUFFERS * CAPACITY);
        assertThat(gauge("apfmalloc.allocator.memory.limit", "direct")).isPositive();
        assertThat(gauge("apfmalloc.allocator.caches", "direct")).isPositive();
        assertThat(counter("apfmalloc.allocator.allocations", "direct")).isGreaterThanOrEqualTo(BUFFERS);
        assertThat(counter("apfmalloc.allocator.fetches", "direct")).isPositive();
        assertThat(gauge("apfmalloc.allocator.allocations.per.fetch", "direct")).isPositive();

        Thread.sleep(1100);   // the size-class meters read a snapshot at most once a second
        RequiredSearch ofClass = registry.get("apfmalloc.allocator.size.class.allocations")
            .tag("size.class", CLASS_OF_CAPACITY);
        assertThat(ofClass.functionCounter().count()).isGreaterThanOrEqualTo(BUFFERS);
        assertThat(registry.get("apfmalloc.allocator.size.class.fetches").tag("size.class", CLASS_OF_CAPACITY)
            .functionCounter().count()).isPositive();
        assertThat(registry.get("apfmalloc.allocator.size.class.allocations").tag("size.class", "8")
            .functionCounter().count()).isZero();

        direct.forEach(ByteBuf::release);
        heap.forEach(ByteBuf::release);
        assertThat(gauge("apfmalloc.allocator.memory.live", "direct")).isZero();
        assertThat(gauge("apfmalloc.allocator.buffers.live", "heap")).isZero();
        assertThat(gauge("apfmalloc.allocator.memory.cached", "direct")).isPositive();
        allocator.trim();
        assertThat(gauge("netty.allocator.memory.used", "direct")).isZero();
        assertThat(gauge("apfmalloc.allocator.memory.cached", "direct")).isZero();
        assertThat(gauge("apfmalloc.allocator.memory.retained", "direct")).isZero();
    }

    @Test
    void everyMeterCarriesNettysAllocatorTags() {
        new ApfAllocatorMetrics(allocator).bindTo(registry);
        String id = String.valueOf(allocator.hashCode());
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getTag("id")).isEqualTo(id);
            assertThat(meter.getId().getTag("allocator.type")).isEqualTo("ApfByteBufAllocator");
            assertThat(meter.getId().getTag("memory.type")).isIn("direct", "heap");
        }
        assertThat(registry.find("apfmalloc.allocator.size.class.fetches").functionCounters()).hasSize(64);
    }

    @Test
    void sizeClassMetersCanBeLeftOut() {
        new ApfAllocatorMetrics(allocator, false).bindTo(registry);
        assertThat(registry.find("apfmalloc.allocator.size.class.fetches").functionCounters()).isEmpty();
        assertThat(registry.find("apfmalloc.allocator.fetches").functionCounters()).hasSize(2);
    }

    /** Micrometer's binder needs only ByteBufAllocatorMetricProvider, which the allocator implements. */
    @Test
    void micrometersOwnNettyBinderReadsTheDefaultAllocator() {
        ApfByteBufAllocator shared = ApfByteBufAllocator.DEFAULT;
        new NettyAllocatorMetrics(shared).bindTo(registry);
        List<ByteBuf> direct = new ArrayList<>();
        for (int i = 0; i < BUFFERS; i++) {
            direct.add(shared.directBuffer(CAPACITY));
        }
        assertThat(registry.get("netty.allocator.memory.used").tag("id", String.valueOf(shared.hashCode()))
            .tag("allocator.type", "ApfByteBufAllocator").tag("memory.type", "direct").gauge().value())
            .isEqualTo(shared.metric().usedDirectMemory()).isGreaterThanOrEqualTo(BUFFERS * CAPACITY);
        assertThat(registry.get("netty.allocator.memory.used").tag("memory.type", "heap").gauge().value())
            .isEqualTo(shared.metric().usedHeapMemory());
        direct.forEach(ByteBuf::release);
        shared.trim();
        assertThat(registry.get("netty.allocator.memory.used").tag("memory.type", "direct").gauge().value()).isZero();
    }

    private List<ByteBuf> allocate(boolean direct) {
        List<ByteBuf> buffers = new ArrayList<>();
        for (int i = 0; i < BUFFERS; i++) {
            buffers.add(direct ? allocator.directBuffer(CAPACITY) : allocator.heapBuffer(CAPACITY));
        }
        return buffers;
    }

    private double gauge(String name, String memoryType) {
        return registry.get(name).tag("memory.type", memoryType).gauge().value();
    }

    private double counter(String name, String memoryType) {
        return registry.get(name).tag("memory.type", memoryType).functionCounter().count();
    }
}
