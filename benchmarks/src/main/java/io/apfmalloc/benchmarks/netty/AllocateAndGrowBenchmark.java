package io.apfmalloc.benchmarks.netty;

import io.netty.buffer.ByteBuf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Allocate and grow: a buffer of Netty's default initial capacity (256 B) written past its capacity in 512-byte
 * chunks until it holds {@code finalSize} bytes, then released. {@code ensureWritable} first grows into the
 * block's spare room ({@code maxFastWritableBytes}) and then reallocates, as an encoder building a message does.
 */
@Threads(1)
@State(Scope.Benchmark)
public class AllocateAndGrowBenchmark extends EventLoopBenchmark {
    private static final int CHUNK = 512;

    /** The bytes written into each buffer. */
    @Param({"16384"})
    public int finalSize;

    private final byte[] chunk = new byte[CHUNK];
    /** Allocates a 256-byte buffer, writes {@code finalSize} bytes into it, releases it. */
    @Benchmark
    public boolean grow(AllocatorUnderTest allocator, EventLoopCacheCheck check) {
        ByteBuf buffer = allocator.buffers().directBuffer();
        for (int written = 0; written < finalSize; written += CHUNK) {
            buffer.writeBytes(chunk);
        }
        return buffer.release();
    }
}
