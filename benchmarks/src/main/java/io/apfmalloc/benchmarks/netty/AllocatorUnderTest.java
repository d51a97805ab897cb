package io.apfmalloc.benchmarks.netty;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.netty.buffer.ByteBufAllocator;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The allocator a trial measures, chosen by the {@code allocator} parameter and made fresh for the trial; one
 * instance shared by all the benchmark's threads, as a server's event loops share theirs.
 */
@State(Scope.Benchmark)
public class AllocatorUnderTest {
    /** The allocator under test. */
    @Param({"APF", "POOLED", "ADAPTIVE", "UNPOOLED"})
    public ComparedAllocator allocator;

    private ByteBufAllocator buffers;

    /** Makes a fresh allocator for the trial, after checking Netty runs in the JVM mode the runner asked for. */
    @Setup(Level.Trial)
    public void createAllocator() {
        buffers = allocator.createChecked();
    }

    /** Returns the trial's allocator. */
    ByteBufAllocator buffers() {
        return buffers;
    }

    /** Throws unless the calling thread allocated through its event-loop cache, where the allocator tells. */
    void checkEventLoopCacheUsed() {
        allocator.checkEventLoopCacheUsed(buffers);
    }
}
