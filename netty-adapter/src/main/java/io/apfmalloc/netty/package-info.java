/**
 * Netty integration of the apfmalloc core: {@link io.apfmalloc.netty.ApfByteBufAllocator}, its buffers and its
 * metrics. Uses only the core's public API ({@code io.apfmalloc.core}).
 */
package io.apfmalloc.netty;
