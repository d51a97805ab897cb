package io.apfmalloc.netty;

import io.apfmalloc.core.HeapAudit;
import java.util.List;

/**
 * The result of {@link ApfByteBufAllocator#audit()}: the invariant checks of the direct and the heap core, and
 * whether each core's allocations with users are exactly its live pooled buffers.
 *
 * @param direct                the direct core's audit
 * @param heap                  the heap core's audit
 * @param liveDirectBuffers     direct buffers allocated and not released
 * @param livePooledHeapBuffers heap buffers allocated and not released, but those above 4 MiB, which hold arrays of
 *                              their own
 * @param problems              what is wrong, each prefixed with {@code direct:} or {@code heap:}; empty when both
 *                              cores are consistent and no block is lost
 */
public record BufferAudit(HeapAudit direct, HeapAudit heap, long liveDirectBuffers, long livePooledHeapBuffers,
                          List<String> problems) {
    /** Returns whether no problem was found. */
    public boolean isConsistent() {
        return problems.isEmpty();
    }
}
