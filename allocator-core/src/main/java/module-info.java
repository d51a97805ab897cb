/**
 * The apfmalloc core: a lock-free allocator of off-heap (or pooled {@code byte[]}) memory with APF-tuned thread
 * caches, and the standalone API. Only {@code io.apfmalloc.core} is exported; the {@code io.apfmalloc.core.internal}
 * packages (heap, superblocks, thread caches, OS memory) stay inside.
 *
 * <p>Its memory is mapped with {@code mmap} through {@code Linker} downcalls, restricted methods: run with
 * {@code --enable-native-access=io.apfmalloc.core} on the module path ({@code ALL-UNNAMED} on the class path).
 */
module io.apfmalloc.core {
    // HotSpotDiagnosticMXBean: the default memory limit is the JVM's MaxDirectMemorySize.
    requires jdk.management;

    exports io.apfmalloc.core;
}
