package io.apfmalloc.micrometer;

import io.apfmalloc.core.AllocatorStats;
import io.apfmalloc.core.ApfAllocator;
import io.apfmalloc.netty.ApfByteBufAllocator;
import io.apfmalloc.netty.ApfByteBufAllocatorMetric;
import io.apfmalloc.netty.ApfByteBufAllocatorMetric.SizeClass;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Binds an {@link ApfByteBufAllocator}'s figures to a Micrometer {@link MeterRegistry}, named and tagged as
 * Micrometer's own {@code NettyAllocatorMetrics}: every meter has the tags {@code id} (the allocator's identity hash,
 * as Micrometer's binder uses) and {@code allocator.type} ({@code ApfByteBufAllocator}), and the per-core meters
 * {@code memory.type} ({@code direct} or {@code heap}).
 *
 * <table>
 *   <caption>The meters</caption>
 *   <tr><th>name</th><th>kind</th><th>what</th></tr>
 *   <tr><td>{@code netty.allocator.memory.used}</td><td>gauge, bytes</td>
 *       <td>memory the core holds (Netty's figure, as Micrometer's binder reports it)</td></tr>
 *   <tr><td>{@code apfmalloc.allocator.memory.live}</td><td>gauge, bytes</td>
 *       <td>summed capacities of buffers not yet released</td></tr>
 *   <tr><td>{@code apfmalloc.allocator.buffers.live}</td><td>gauge</td><td>buffers not yet released</td></tr>
 *   <tr><td>{@code apfmalloc.allocator.memory.cached}</td><td>gauge, bytes</td>
 *       <td>free blocks in thread caches and shared stripes</td></tr>
 *   <tr><td>{@code apfmalloc.allocator.memory.retained}</td><td>gauge, bytes</td>
 *       <td>wholly free superblocks kept mapped for reuse</td></tr>
 *   <tr><td>{@code apfmalloc.allocator.memory.limit}</td><td>gauge, bytes</td><td>the core's memory limit</td></tr>
 *   <tr><td>{@code apfmalloc.allocator.caches}</td><td>gauge</td>
 *       <td>caches: one per event loop, and the shared stripes</td></tr>
 *   <tr><td>{@code apfmalloc.allocator.allocations}</td><td>counter</td><td>allocations the caches served</td></tr>
 *   <tr><td>{@code apfmalloc.allocator.fetches}</td><td>counter</td><td>the caches' trips to the shared heap</td></tr>
 *   <tr><td>{@code apfmalloc.allocator.allocations.per.fetch}</td><td>gauge</td>
 *       <td>APF achieved: allocations over fetches</td></tr>
 * </table>
 *
 * <p>With size-class meters on (the default), the direct core's last four figures and its cached bytes are also
 * given per size class, tagged {@code size.class} (the block size in bytes, {@code 8} to {@code 1048576}), under
 * {@code apfmalloc.allocator.size.class.} followed by {@code allocations}, {@code fetches},
 * {@code allocations.per.fetch} and {@code memory.cached}: 256 meters, fixed at binding, so that a class's series
 * exists before its first use. These meters read one snapshot of the bins, taken at most once a second.
 *
 * <p>Counters and gauges read the allocator when the registry publishes; they hold it strongly. Any thread may bind.
 */
public final class ApfAllocatorMetrics implements MeterBinder {
    /** The largest size class of the cores (README, "Limits and guarantees"); larger allocations are mapped alone. */
    private static final int LARGEST_SIZE_CLASS = 1 << 20;
    /** How long one snapshot of the bins serves the size-class meters: one publication reads them once. */
    private static final long SNAPSHOT_NANOS = 1_000_000_000L;

    private final ApfByteBufAllocator allocator;
    private final boolean sizeClassMeters;

    /** Makes a binder for {@code allocator}'s meters, the size-class meters included. */
    public ApfAllocatorMetrics(ApfByteBufAllocator allocator) {
        this(allocator, true);
    }

    /**
     * Makes a binder for {@code allocator}'s meters.
     *
     * @param sizeClassMeters whether to add the 256 meters per size class of the direct core
     */
    public ApfAllocatorMetrics(ApfByteBufAllocator allocator, boolean sizeClassMeters) {
        this.allocator = allocator;
        this.sizeClassMeters = sizeClassMeters;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        ApfByteBufAllocatorMetric metric = allocator.metric();
        Tags allocatorTags = Tags.of("id", String.valueOf(allocator.hashCode()),
            "allocator.type", ApfByteBufAllocator.class.getSimpleName());
        bindCore(registry, allocatorTags.and("memory.type", "direct"), metric,
            ApfByteBufAllocatorMetric::usedDirectMemory, ApfByteBufAllocatorMetric::liveDirectBytes,
            ApfByteBufAllocatorMetric::liveDirectBuffers, ApfByteBufAllocatorMetric::directStats,
            m -> m.threadCaches().size(), ApfByteBufAllocatorMetric::sizeClasses);
        bindCore(registry, allocatorTags.and("memory.type", "heap"), metric,
            ApfByteBufAllocatorMetric::usedHeapMemory, ApfByteBufAllocatorMetric::liveHeapBytes,
            ApfByteBufAllocatorMetric::liveHeapBuffers, ApfByteBufAllocatorMetric::heapStats,
            m -> m.heapThreadCaches().size(), ApfByteBufAllocatorMetric::heapSizeClasses);
        if (sizeClassMeters) {
            bindSizeClasses(registry, allocatorTags.and("memory.type", "direct"), metric);
        }
    }

    /** Registers one core's meters; each function reads that core's figure from {@code metric}. */
    private static void bindCore(MeterRegistry registry, Tags tags, ApfByteBufAllocatorMetric metric,
                                 ToLongFunction<ApfByteBufAllocatorMetric> used,
                                 ToLongFunction<ApfByteBufAllocatorMetric> liveBytes,
                                 ToLongFunction<ApfByteBufAllocatorMetric> liveBuffers,
                                 Function<ApfByteBufAllocatorMetric, AllocatorStats> stats,
                                 ToLongFunction<ApfByteBufAllocatorMetric> caches,
                                 Function<ApfByteBufAllocatorMetric, List<SizeClass>> classes) {
        gauge(registry, "netty.allocator.memory.used", tags, metric, used::applyAsLong, BaseUnits.BYTES);
        gauge(registry, "apfmalloc.allocator.memory.live", tags, metric, liveBytes::applyAsLong, BaseUnits.BYTES);
        gauge(registry, "apfmalloc.allocator.buffers.live", tags, metric, liveBuffers::applyAsLong,
            BaseUnits.BUFFERS);
        gauge(registry, "apfmalloc.allocator.memory.cached", tags, metric,
            m -> stats.apply(m).cachedBytes(), BaseUnits.BYTES);
        gauge(registry, "apfmalloc.allocator.memory.retained", tags, metric,
            m -> stats.apply(m).retainedBytes(), BaseUnits.BYTES);
        gauge(registry, "apfmalloc.allocator.memory.limit", tags, metric,
            m -> stats.apply(m).memoryLimit(), BaseUnits.BYTES);
        gauge(registry, "apfmalloc.allocator.caches", tags, metric, caches::applyAsLong, null);
        counter(registry, "apfmalloc.allocator.allocations", tags, metric,
            m -> classes.apply(m).stream().mapToLong(SizeClass::allocations).sum());
        counter(registry, "apfmalloc.allocator.fetches", tags, metric,
            m -> classes.apply(m).stream().mapToLong(SizeClass::fetches).sum());
        gauge(registry, "apfmalloc.allocator.allocations.per.fetch", tags, metric,
            m -> allocationsPerFetch(classes.apply(m)), null);
    }

    /** Registers the direct core's meters per size class, all reading one shared snapshot of the bins. */
    private static void bindSizeClasses(MeterRegistry registry, Tags tags, ApfByteBufAllocatorMetric metric) {
        BinSnapshot snapshot = new BinSnapshot(metric::sizeClasses);
        for (long size = 1; ApfAllocator.usableSizeFor(size) <= LARGEST_SIZE_CLASS;
             size = ApfAllocator.usableSizeFor(size) + 1) {
            int blockSize = (int) ApfAllocator.usableSizeFor(size);
            Tags classTags = tags.and("size.class", Integer.toString(blockSize));
            counter(registry, "apfmalloc.allocator.size.class.allocations", classTags, snapshot,
                s -> s.get(blockSize).allocations());
            counter(registry, "apfmalloc.allocator.size.class.fetches", classTags, snapshot,
                s -> s.get(blockSize).fetches());
            gauge(registry, "apfmalloc.allocator.size.class.allocations.per.fetch", classTags, snapshot,
                s -> s.get(blockSize).allocationsPerFetch(), null);
            gauge(registry, "apfmalloc.allocator.size.class.memory.cached", classTags, snapshot,
                s -> (double) s.get(blockSize).cachedBlocks() * blockSize, BaseUnits.BYTES);
        }
    }

    private static double allocationsPerFetch(List<SizeClass> classes) {
        long fetches = classes.stream().mapToLong(SizeClass::fetches).sum();
        return fetches == 0 ? 0 : (double) classes.stream().mapToLong(SizeClass::allocations).sum() / fetches;
    }

    private static <T> void gauge(MeterRegistry registry, String name, Tags tags, T source, ToDoubleFunction<T> value,
                                  String baseUnit) {
        Gauge.builder(name, source, value).tags(tags).baseUnit(baseUnit).register(registry);
    }

    private static <T> void counter(MeterRegistry registry, String name, Tags tags, T source,
                                    ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, source, value).tags(tags).register(registry);
    }

    /**
     * The direct core's bins summed per size class, read again once the last reading is a second old: the 256
     * size-class meters of one publication share one pass over the caches instead of making one each.
     */
    private static final class BinSnapshot {
        private static final SizeClass UNUSED = new SizeClass(0, 0, 0, 0, 0, 0);

        private final Supplier<List<SizeClass>> source;
        private Map<Integer, SizeClass> classes = Map.of();
        private long takenAt;
        private boolean taken;

        BinSnapshot(Supplier<List<SizeClass>> source) {
            this.source = source;
        }

        /** Returns the figures of the class of {@code blockSize} bytes, all 0 while no cache has used it. */
        synchronized SizeClass get(int blockSize) {
            long now = System.nanoTime();
            if (!taken || now - takenAt >= SNAPSHOT_NANOS) {
                Map<Integer, SizeClass> read = new HashMap<>();
                for (SizeClass sizeClass : source.get()) {
                    read.put(sizeClass.blockSize(), sizeClass);
                }
                classes = read;
                takenAt = now;
                taken = true;
            }
            return classes.getOrDefault(blockSize, UNUSED);
        }
    }
}
