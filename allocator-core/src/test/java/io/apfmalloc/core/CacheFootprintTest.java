package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A thread cache costs Java heap for what it holds, not for the most it could hold: caches of threads that used
 * every size class, now idle, are measured on the heap after a full GC (their threads parked, so the caches are
 * live; the ended threads' caches are reclaimed at the end, so the next measurement starts clean). Bins' arrays grow
 * with use, APF traces and interval extractors are borrowed from the allocator's spares only while a burst is sampled
 * or ends, and a reuse curve keeps 49 floats; what stays per class is its bin, its tuner and that curve. With bins
 * allocated at their bound this was about 2,200 KiB per cache; with traces, extractors and curves of doubles kept per
 * cache, 190 KiB after heavy use.
 */
class CacheFootprintTest {
    private static final int THREADS = 100;
    private static final long KIB = 1024;

    @ParameterizedTest(name = "{0} pairs per class: at most {1} KiB per cache")
    @CsvSource({"10, 64", "2000, 64"})
    void idleCachesThatUsedEveryClassHoldLittleHeap(int pairsPerClass, long maxKibPerCache) throws Exception {
        ApfAllocator allocator = ApfAllocator.builder().maxThreadCaches(2 * THREADS).build();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        CountDownLatch used = new CountDownLatch(THREADS);
        CountDownLatch release = new CountDownLatch(1);
        long before = heapAfterGc(memory);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int sizeClass = 0; sizeClass < SizeClasses.COUNT; sizeClass++) {
                    for (int i = 0; i < pairsPerClass; i++) {
                        allocator.free(allocator.malloc(SizeClasses.blockSize(sizeClass)));
                    }
                }
                used.countDown();
                awaitQuietly(release);
            }));
        }
        used.await();
        long perCache = (heapAfterGc(memory) - before) / THREADS;
        release.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        allocator.trim();
        assertTrue(perCache <= maxKibPerCache * KIB, perCache / KIB + " KiB per idle cache");
        System.out.printf("%d pairs per class: %d KiB of Java heap per idle cache%n", pairsPerClass, perCache / KIB);
    }

    private static long heapAfterGc(MemoryMXBean memory) {
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
