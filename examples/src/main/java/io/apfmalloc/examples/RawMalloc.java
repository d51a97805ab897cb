package io.apfmalloc.examples;

import io.apfmalloc.core.AllocatorStats;
import io.apfmalloc.core.ApfMalloc;
import io.apfmalloc.core.AutoPtr;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The standalone API in one page: malloc, realloc, aligned allocation, typed allocation, the auto-freeing handle,
 * and what the allocator holds afterwards.
 *
 * <p>Run: {@code mvn -B -q -DskipTests -Prun-demo package}
 */
public final class RawMalloc {
    private RawMalloc() {
    }

    /** Runs the tour and prints what happens. */
    public static void main(String[] args) {
        long p = ApfMalloc.doMalloc(100);
        MemorySegment bytes = ApfMalloc.segment(p, 100);
        bytes.fill((byte) 7);
        System.out.printf("doMalloc(100)         -> 0x%x, usable %d bytes%n", p, ApfMalloc.usableSize(p));

        long q = ApfMalloc.doRealloc(p, 5000);
        System.out.printf("doRealloc(p, 5000)    -> 0x%x, first byte still %d%n", q,
            ApfMalloc.segment(q, 5000).get(ValueLayout.JAVA_BYTE, 0));
        ApfMalloc.doFree(q);

        long aligned = ApfMalloc.doAlignedAlloc(4096, 1000);
        System.out.printf("doAlignedAlloc(4096)  -> 0x%x (address %% 4096 = %d)%n", aligned, aligned % 4096);
        ApfMalloc.doFree(aligned);

        try (AutoPtr counter = AutoPtr.allocate(ValueLayout.JAVA_LONG)) {
            counter.segment().set(ValueLayout.JAVA_LONG, 0, 42);
            System.out.printf("AutoPtr<long>         -> %d, freed at the end of the try block%n",
                counter.segment().get(ValueLayout.JAVA_LONG, 0));
        }

        long start = System.nanoTime();
        int pairs = 10_000_000;
        for (int i = 0; i < pairs; i++) {
            ApfMalloc.doFree(ApfMalloc.doMalloc(64));
        }
        System.out.printf("%,d malloc/free pairs of 64 B: %.1f ns per pair%n", pairs,
            (System.nanoTime() - start) / (double) pairs);

        ApfMalloc.allocator().trim();
        AllocatorStats stats = ApfMalloc.allocator().stats();
        System.out.printf("held from the OS after trim(): %d bytes in %d superblocks%n",
            stats.mappedBytes(), stats.liveSuperblocks());
    }
}
