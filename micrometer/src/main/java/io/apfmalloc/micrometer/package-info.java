/**
 * Micrometer meters for {@link io.apfmalloc.netty.ApfByteBufAllocator}:
 * {@link io.apfmalloc.micrometer.ApfAllocatorMetrics}, a {@code MeterBinder} named and tagged like Micrometer's own
 * Netty allocator meters.
 */
package io.apfmalloc.micrometer;
