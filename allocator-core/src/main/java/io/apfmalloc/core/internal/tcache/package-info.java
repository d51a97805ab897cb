/**
 * Thread caches and their tuning: a {@link io.apfmalloc.core.internal.tcache.ThreadCache} of one
 * {@link io.apfmalloc.core.internal.tcache.Bin} per size class, touched by one thread at a time (its owner, or the
 * holder of a shared stripe's lock); the {@link io.apfmalloc.core.internal.tcache.CachePolicy} that sizes fetches and
 * returns (APF, or lrmalloc's fixed rule); and {@link io.apfmalloc.core.internal.tcache.ThreadCaches}, which finds
 * each thread's cache and reclaims those of ended threads. The lookup table by thread id is a deliberate race,
 * made safe by each cache's final owner id (see its comment).
 */
package io.apfmalloc.core.internal.tcache;
