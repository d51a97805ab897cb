/**
 * The soak: an echo server on {@link io.apfmalloc.netty.ApfByteBufAllocator} under a verifying load, buffers shuttled
 * between event loops and other threads, and a raw-API workload with cross-thread frees, all for a chosen duration,
 * with faults injected into both allocators and the invariant checker run on the paused workload every few seconds
 * ({@link io.apfmalloc.benchmarks.soak.Soak}).
 */
package io.apfmalloc.benchmarks.soak;
