/**
 * Netty's allocator benchmark shapes on {@code ApfByteBufAllocator} and Netty's pooled, adaptive and unpooled
 * allocators side by side, on {@code FastThreadLocalThread}s (event loops), in both JVM modes;
 * {@link io.apfmalloc.benchmarks.netty.NettyAllocatorComparison} runs them all and prints the table.
 */
package io.apfmalloc.benchmarks.netty;
