package io.apfmalloc.benchmarks.netty;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Checks, on each benchmark thread whose method takes it, that the allocator served the thread through its
 * event-loop cache: a shape measured off the cache would measure the wrong path.
 */
@State(Scope.Thread)
public class EventLoopCacheCheck {
    /** Runs on the benchmark thread once its trial ends. */
    @TearDown(Level.Trial)
    public void check(AllocatorUnderTest allocator) {
        allocator.checkEventLoopCacheUsed();
    }
}
