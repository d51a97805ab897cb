package io.apfmalloc.benchmarks.classic;

/**
 * The allocator a benchmark JVM ({@link ClassicChild}) measures, chosen by the {@value #PROPERTY} system property
 * and held in {@code static final} fields. Through them the JIT sees the allocator, and a native allocator's method
 * handles (components of records, which it trusts as final), as constants, and inlines the downcalls; through a
 * plain field it could not (see {@link io.apfmalloc.benchmarks.raw.NativeMalloc}). The workloads call this object,
 * the only {@link ThreadAllocator} their call sites see in that JVM, unless the allocator binds caches to threads.
 */
final class ConstantAllocator implements ClassicAllocator, ThreadAllocator {
    /** The system property naming the allocator ({@link AllocatorKind#label()}). */
    static final String PROPERTY = "classic.allocator";
    private static final AllocatorKind KIND = AllocatorKind.of(System.getProperty(PROPERTY, ""));
    private static final ClassicAllocator TARGET = KIND.open();
    /** The target when every thread shares it; null when it opens a view per thread. */
    private static final ThreadAllocator SHARED = TARGET instanceof SharedAllocator shared ? shared : null;
    /** The one instance; first use loads the allocator, and throws if it cannot. */
    static final ConstantAllocator INSTANCE = new ConstantAllocator();

    private ConstantAllocator() {
    }

    /** Returns the allocator measured. */
    static AllocatorKind kind() {
        return KIND;
    }

    @Override
    public ThreadAllocator openThread() {
        return SHARED != null ? this : TARGET.openThread();
    }

    @Override
    public long malloc(long size) {
        return SHARED.malloc(size);
    }

    @Override
    public void free(long address) {
        SHARED.free(address);
    }
}
