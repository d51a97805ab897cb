package io.apfmalloc.benchmarks.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.channels.Pipe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Work on a buffer's contents rather than its allocation, on an event loop: each operation allocates a direct
 * buffer of {@value #SIZE} bytes, works on it, and releases it. {@code ints}: {@value #INTS} {@code writeInt}s then
 * as many {@code readInt}s (a codec's field accessors, each bounds- and reference-checked); {@code bytes}: one
 * {@code writeBytes} of a {@code byte[]} and one {@code readBytes} into another (copies in and out of the heap);
 * {@code channel}: the buffer written to a {@link Pipe} with {@code readBytes(GatheringByteChannel, int)} and read
 * back into a second buffer with {@code writeBytes(ScatteringByteChannel, int)} (what a transport does on every read
 * and write: both go through the buffer's NIO view). In JDK 25's default mode Netty's own buffers reach their memory
 * through {@code ByteBuffer}s or segments rather than {@code Unsafe}, which is where accessor cost differs.
 */
public class AccessorBenchmark extends EventLoopBenchmark {
    /** Every buffer's capacity, and the bytes copied or sent per operation. */
    static final int SIZE = 1024;
    /** {@code int}s written and read per operation in {@code ints}: the whole buffer. */
    static final int INTS = SIZE / Integer.BYTES;

    /**
     * One thread's heap arrays and pipe (a pipe holds 64 KiB on Linux, so writing {@value #SIZE} bytes into an empty
     * one never blocks).
     */
    @State(Scope.Thread)
    public static class Work {
        private final byte[] source = new byte[SIZE];
        private final byte[] target = new byte[SIZE];
        private Pipe pipe;

        /** Opens the pipe and fills the source with a pattern. */
        @Setup(Level.Trial)
        public void open() throws IOException {
            for (int i = 0; i < SIZE; i++) {
                source[i] = (byte) (i * 31);
            }
            pipe = Pipe.open();
        }

        /** Closes the pipe. */
        @TearDown(Level.Trial)
        public void close() throws IOException {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    /** 256 {@code writeInt}s and {@code readInt}s, one thread. */
    @Benchmark
    @Threads(1)
    public int ints(AllocatorUnderTest allocator, EventLoopCacheCheck check) {
        return writeAndReadInts(allocator.buffers());
    }

    /** The same on two threads at once. */
    @Benchmark
    @Threads(2)
    public int intsTwoThreads(AllocatorUnderTest allocator, EventLoopCacheCheck check) {
        return writeAndReadInts(allocator.buffers());
    }

    /** One 1 KiB {@code writeBytes} and {@code readBytes}, one thread. */
    @Benchmark
    @Threads(1)
    public int bytes(AllocatorUnderTest allocator, Work work, EventLoopCacheCheck check) {
        return copyInAndOut(allocator.buffers(), work);
    }

    /** The same on two threads at once. */
    @Benchmark
    @Threads(2)
    public int bytesTwoThreads(AllocatorUnderTest allocator, Work work, EventLoopCacheCheck check) {
        return copyInAndOut(allocator.buffers(), work);
    }

    /** 1 KiB out to a pipe and back into a second buffer, one thread. */
    @Benchmark
    @Threads(1)
    public int channel(AllocatorUnderTest allocator, Work work, EventLoopCacheCheck check) throws IOException {
        return throughPipe(allocator.buffers(), work);
    }

    /** The same on two threads at once, each with its own pipe. */
    @Benchmark
    @Threads(2)
    public int channelTwoThreads(AllocatorUnderTest allocator, Work work, EventLoopCacheCheck check)
            throws IOException {
        return throughPipe(allocator.buffers(), work);
    }

    private int writeAndReadInts(ByteBufAllocator buffers) {
        ByteBuf buffer = buffers.directBuffer(SIZE);
        for (int i = 0; i < INTS; i++) {
            buffer.writeInt(i);
        }
        int sum = 0;
        for (int i = 0; i < INTS; i++) {
            sum += buffer.readInt();
        }
        buffer.release();
        return sum;
    }

    private int copyInAndOut(ByteBufAllocator buffers, Work work) {
        ByteBuf buffer = buffers.directBuffer(SIZE);
        buffer.writeBytes(work.source);
        buffer.readBytes(work.target);
        buffer.release();
        return work.target[SIZE - 1];
    }

    private int throughPipe(ByteBufAllocator buffers, Work work) throws IOException {
        ByteBuf outgoing = buffers.directBuffer(SIZE);
        outgoing.writeBytes(work.source);
        while (outgoing.isReadable()) {
            outgoing.readBytes(work.pipe.sink(), outgoing.readableBytes());
        }
        outgoing.release();
        ByteBuf incoming = buffers.directBuffer(SIZE);
        while (incoming.writerIndex() < SIZE) {
            incoming.writeBytes(work.pipe.source(), SIZE - incoming.writerIndex());
        }
        int last = incoming.getByte(SIZE - 1);
        incoming.release();
        return last;
    }
}
