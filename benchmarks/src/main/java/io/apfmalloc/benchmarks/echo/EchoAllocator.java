package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.netty.ApfByteBufAllocator;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Locale;
import java.util.function.Supplier;

/** The server allocators the echo benchmark compares: ours and Netty's three, each with its default settings. */
public enum EchoAllocator {
    /** {@link ApfByteBufAllocator#DEFAULT}. */
    APF(() -> ApfByteBufAllocator.DEFAULT),
    /** {@link PooledByteBufAllocator#DEFAULT}. */
    POOLED(() -> PooledByteBufAllocator.DEFAULT),
    /** A new {@link AdaptiveByteBufAllocator} (Netty 4.2's default allocator). */
    ADAPTIVE(AdaptiveByteBufAllocator::new),
    /** {@link UnpooledByteBufAllocator#DEFAULT}. */
    UNPOOLED(() -> UnpooledByteBufAllocator.DEFAULT);

    private final Supplier<ByteBufAllocator> factory;

    EchoAllocator(Supplier<ByteBufAllocator> factory) {
        this.factory = factory;
    }

    /** Returns the allocator (the shared instance where Netty has one); call once per server. */
    public ByteBufAllocator create() {
        return factory.get();
    }

    /**
     * Returns the memory {@code allocator} holds by its own metric: {@code usedDirectMemory + usedHeapMemory}
     * (pools' chunks and superblocks, with their free space; live buffers for the unpooled one).
     */
    public static long heldBytes(ByteBufAllocator allocator) {
        ByteBufAllocatorMetric metric = ((ByteBufAllocatorMetricProvider) allocator).metric();
        return metric.usedDirectMemory() + metric.usedHeapMemory();
    }

    /** Returns the lower-case name used on command lines and in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the allocator named {@code label} (any case). */
    public static EchoAllocator of(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }
}
