package io.apfmalloc.benchmarks.classic;

import io.apfmalloc.benchmarks.raw.NativeMemory;

/**
 * Hoard's {@code threadtest}: each of T threads repeatedly allocates {@value #OBJECTS}/T objects of
 * {@value #OBJECT_SIZE} bytes (writing to each, as the C++ original's constructor does), then frees them all in
 * allocation order. The objects are divided among the threads, so the live set stays the same as T grows and an
 * allocator that scales gets T times the single-thread throughput (up to the core count). It runs far past a thread
 * cache's capacity (240 KB live per round on one thread), so what it measures is how cheaply a thread's cache
 * fills from and returns to the shared heap, and whether threads contend there.
 *
 * <p>Defaults are the original's ({@code nobjects} 30,000, {@code objSize} one 8-byte {@code Foo}, no work between
 * calls); it runs rounds until stopped instead of a fixed 50. One operation is one malloc+free pair.
 */
final class ThreadTest implements Workload {
    /** Objects allocated per round, divided among the threads. */
    static final int OBJECTS = 30_000;
    /** Bytes per object: the original's {@code Foo} of two {@code int}s. */
    static final long OBJECT_SIZE = 8;

    @Override
    public String name() {
        return "threadtest";
    }

    @Override
    public String operation() {
        return "one malloc+free pair of " + OBJECT_SIZE + " B, " + OBJECTS + "/T blocks live per thread and round";
    }

    @Override
    public Measurement run(ClassicAllocator allocator, int threads, long nanos) throws InterruptedException {
        int perThread = OBJECTS / threads;
        TimedRun run = new TimedRun(name(), threads);
        return run.measure(nanos, lane -> {
            long[] objects = new long[perThread];
            long rounds = 0;
            try (ThreadAllocator heap = allocator.openThread()) {
                do {
                    for (int i = 0; i < perThread; i++) {
                        objects[i] = NativeMemory.touch(heap.malloc(OBJECT_SIZE));
                    }
                    for (int i = 0; i < perThread; i++) {
                        heap.free(objects[i]);
                    }
                    rounds++;
                } while (!run.stopped());
            }
            return rounds * perThread;
        });
    }
}
