package io.apfmalloc.benchmarks.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Netty's steady-state shape: {@value #LIVE_BUFFERS} live buffers, each operation releases one chosen at random and
 * allocates its replacement, of a size drawn at random from 256 B, 512 B, … 64 KiB (each power of two equally
 * likely: about 115 MiB live). Memory is reused out of order, across size classes, with many blocks live: the
 * allocator's free lists and caches rather than one hot block.
 */
@Threads(1)
public class SteadyStateBenchmark extends EventLoopBenchmark {
    /** Live buffers per thread (Netty's own benchmark keeps 8,192). */
    static final int LIVE_BUFFERS = 8192;
    /** Length of the precomputed random sequence of (slot, size) pairs, a power of two. */
    private static final int SEQUENCE = 1 << 16;
    private static final int MIN_SIZE_SHIFT = 8;
    private static final int SIZE_CLASSES = 9;

    /** One thread's live buffers and its random sequence of replacements, drawn off the measured path. */
    public abstract static class LiveSet {
        private final ByteBuf[] live = new ByteBuf[LIVE_BUFFERS];
        private final int[] slots = new int[SEQUENCE];
        private final int[] sizes = new int[SEQUENCE];
        private int next;

        /** Allocates a buffer of the set's kind. */
        abstract ByteBuf allocate(ByteBufAllocator buffers, int size);

        /** Fills the set before the trial, with a fixed seed so every allocator replays the same sequence. */
        @Setup(Level.Trial)
        public void fill(AllocatorUnderTest allocator) {
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < SEQUENCE; i++) {
                slots[i] = random.nextInt(LIVE_BUFFERS);
                sizes[i] = 1 << (MIN_SIZE_SHIFT + random.nextInt(SIZE_CLASSES));
            }
            for (int i = 0; i < LIVE_BUFFERS; i++) {
                live[i] = allocate(allocator.buffers(), sizes[i]);
            }
        }

        /** Releases every live buffer after checking the thread used its event-loop cache. */
        @TearDown(Level.Trial)
        public void releaseAll(AllocatorUnderTest allocator) {
            allocator.checkEventLoopCacheUsed();
            for (ByteBuf buffer : live) {
                buffer.release();
            }
        }

        boolean replace(ByteBufAllocator buffers) {
            int index = next++ & (SEQUENCE - 1);
            int slot = slots[index];
            boolean released = live[slot].release();
            live[slot] = allocate(buffers, sizes[index]);
            return released;
        }
    }

    /** Direct buffers. */
    @State(Scope.Thread)
    public static class DirectLiveSet extends LiveSet {
        @Override
        ByteBuf allocate(ByteBufAllocator buffers, int size) {
            return buffers.directBuffer(size);
        }
    }

    /** Heap buffers. */
    @State(Scope.Thread)
    public static class HeapLiveSet extends LiveSet {
        @Override
        ByteBuf allocate(ByteBufAllocator buffers, int size) {
            return buffers.heapBuffer(size);
        }
    }

    /** Replaces one random live direct buffer. */
    @Benchmark
    public boolean direct(AllocatorUnderTest allocator, DirectLiveSet set) {
        return set.replace(allocator.buffers());
    }

    /** Replaces one random live heap buffer. */
    @Benchmark
    public boolean heap(AllocatorUnderTest allocator, HeapLiveSet set) {
        return set.replace(allocator.buffers());
    }
}
