package io.apfmalloc.benchmarks.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.atomic.AtomicLongArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Control;

/**
 * Allocate on one event loop, release on another: one loop allocates batches of {@value #BATCH} direct buffers
 * (what a loop reads in one pass over its channels) and hands each batch through a bounded ring to a second loop,
 * which releases them (the writes completing there). Every release is a free from a thread that did not allocate
 * the memory. The score that counts is the allocating loop's: buffers handed across per second. A side that waits
 * yields its CPU, since on a small machine the two loops may share one.
 */
@State(Scope.Group)
public class CrossThreadBenchmark extends EventLoopBenchmark {
    /** Buffers handed over at once. */
    static final int BATCH = 256;
    /** Batches in flight at most. */
    private static final int RING_BATCHES = 4;

    /** The buffer's capacity in bytes. */
    @Param({"256", "1024", "4096", "16384"})
    public int size;

    private BatchRing ring;

    /** Makes an empty ring for the trial. */
    @Setup(Level.Trial)
    public void createRing() {
        ring = new BatchRing();
    }

    /** Releases what is left in the ring. */
    @TearDown(Level.Trial)
    public void drain() {
        while (ring.hasBatch()) {
            ring.releaseBatch();
        }
    }

    /** Allocates a batch of buffers into a free slot of the ring, waiting while the ring is full. */
    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    @OperationsPerInvocation(BATCH)
    public void allocate(Control control, AllocatorUnderTest allocator, EventLoopCacheCheck check) {
        while (!ring.hasRoom()) {
            if (control.stopMeasurement) {
                return;
            }
            Thread.yield();
        }
        ring.allocateBatch(allocator.buffers(), size);
    }

    /** Releases the oldest batch in the ring, waiting while the ring is empty. */
    @Benchmark
    @Group("handOff")
    @GroupThreads(1)
    @OperationsPerInvocation(BATCH)
    public void release(Control control) {
        while (!ring.hasBatch()) {
            if (control.stopMeasurement) {
                return;
            }
            Thread.yield();
        }
        ring.releaseBatch();
    }

    /**
     * A single-producer single-consumer ring of batches, whose arrays are reused. The producer fills the slot at
     * the tail and publishes it with a release store of the tail; the consumer empties the slot at the head and
     * frees it with a release store of the head; each reads the other's index with acquire.
     */
    static final class BatchRing {
        /** Head and tail 16 longs (128 bytes) apart so that they sit on different cache lines. */
        private static final int HEAD = 16;
        private static final int TAIL = 32;

        private final ByteBuf[][] batches = new ByteBuf[RING_BATCHES][BATCH];
        private final AtomicLongArray indices = new AtomicLongArray(48);

        boolean hasRoom() {
            return indices.getPlain(TAIL) - indices.getAcquire(HEAD) < RING_BATCHES;
        }

        void allocateBatch(ByteBufAllocator buffers, int size) {
            long tail = indices.getPlain(TAIL);
            ByteBuf[] batch = batches[(int) (tail % RING_BATCHES)];
            for (int i = 0; i < BATCH; i++) {
                batch[i] = buffers.directBuffer(size);
            }
            indices.setRelease(TAIL, tail + 1);
        }

        boolean hasBatch() {
            return indices.getPlain(HEAD) != indices.getAcquire(TAIL);
        }

        void releaseBatch() {
            long head = indices.getPlain(HEAD);
            ByteBuf[] batch = batches[(int) (head % RING_BATCHES)];
            for (int i = 0; i < BATCH; i++) {
                batch[i].release();
                batch[i] = null;
            }
            indices.setRelease(HEAD, head + 1);
        }
    }
}
