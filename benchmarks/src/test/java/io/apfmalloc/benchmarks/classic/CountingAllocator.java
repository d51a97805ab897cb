package io.apfmalloc.benchmarks.classic;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wraps an allocator under test and checks how a workload uses it: every free is of a live block (allocated and not
 * yet freed, through any thread's view), and counts mallocs, frees and the views threads opened.
 */
final class CountingAllocator implements ClassicAllocator {
    private final ClassicAllocator allocator;
    private final Set<Long> live = ConcurrentHashMap.newKeySet();
    private final Set<String> problems = ConcurrentHashMap.newKeySet();
    private final LongAdder mallocs = new LongAdder();
    private final LongAdder frees = new LongAdder();
    private final LongAdder views = new LongAdder();

    CountingAllocator(ClassicAllocator allocator) {
        this.allocator = allocator;
    }

    @Override
    public ThreadAllocator openThread() {
        views.increment();
        ThreadAllocator view = allocator.openThread();
        return new ThreadAllocator() {
            @Override
            public long malloc(long size) {
                long address = view.malloc(size);
                if (address != 0 && !live.add(address)) {
                    problems.add("malloc returned live block " + Long.toHexString(address));
                }
                mallocs.increment();
                return address;
            }

            @Override
            public void free(long address) {
                if (!live.remove(address)) {
                    problems.add("free of a block not live: " + Long.toHexString(address));
                }
                frees.increment();
                view.free(address);
            }

            @Override
            public void close() {
                view.close();
            }
        };
    }

    long mallocs() {
        return mallocs.sum();
    }

    long frees() {
        return frees.sum();
    }

    long views() {
        return views.sum();
    }

    int liveBlocks() {
        return live.size();
    }

    /** Returns what went wrong: frees of blocks that were not live, blocks handed out twice. */
    Set<String> problems() {
        return problems;
    }
}
