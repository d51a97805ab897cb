package io.apfmalloc.benchmarks.soak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Buffers crossing between event loops and other threads, on the allocator the echo server uses: a shuttle thread
 * allocates a buffer (through the shared stripes), stamps it and hands it to an event loop, which checks and
 * releases it (into the loop's own cache), allocates a buffer of its own and hands that back; the shuttle thread
 * checks and releases it (a block of a loop's cache freed into the stripes). Sizes run from 8 B to 3 MiB, so large
 * allocations map memory and meet the outages.
 */
final class BufferShuttle {
    /** Buffers on their way at most per shuttle thread. */
    private static final int MAX_IN_FLIGHT = 64;

    private final ByteBufAllocator allocator;
    private final List<EventExecutor> loops;
    private final PausePoint pause;
    private final ConcurrentLinkedQueue<Throwable> failures;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Shuttle> shuttles = new ArrayList<>();
    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final AtomicLong tags = new AtomicLong();
    private volatile boolean stopping;

    BufferShuttle(ByteBufAllocator allocator, List<EventExecutor> loops, int threadCount, long seed, PausePoint pause,
                  ConcurrentLinkedQueue<Throwable> failures) {
        this.allocator = allocator;
        this.loops = loops;
        this.pause = pause;
        this.failures = failures;
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int i = 0; i < threadCount; i++) {
            shuttles.add(new Shuttle(seeds.split()));
        }
    }

    void start() {
        for (int i = 0; i < shuttles.size(); i++) {
            threads.add(Thread.ofPlatform().name("soak-shuttle-" + i).start(shuttles.get(i)::run));
        }
    }

    /** Makes the threads wait for their buffers to come back, release them and end; returns once they have. */
    void stop() throws InterruptedException {
        stopping = true;
        for (Thread thread : threads) {
            thread.join();
        }
    }

    long roundTrips() {
        return roundTrips.sum();
    }

    long refused() {
        return refused.sum();
    }

    int threads() {
        return shuttles.size();
    }

    private final class Shuttle {
        private final SplittableRandom random;
        private final ConcurrentLinkedQueue<Stamped> returned = new ConcurrentLinkedQueue<>();
        private final AtomicInteger inFlight = new AtomicInteger();

        Shuttle(SplittableRandom random) {
            this.random = random;
        }

        void run() {
            try {
                while (!stopping) {
                    pause.checkpoint();
                    releaseReturned();
                    if (inFlight.get() < MAX_IN_FLIGHT) {
                        send();
                    } else {
                        Thread.onSpinWait();
                    }
                }
                while (inFlight.get() > 0) {
                    releaseReturned();
                    Thread.onSpinWait();
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }

        private void send() {
            Stamped outbound = allocate(randomSize(), random.nextInt(4) == 0);
            if (outbound == null) {
                return;
            }
            int size = randomSize();
            boolean heap = random.nextInt(4) == 0;
            inFlight.incrementAndGet();
            loops.get(random.nextInt(loops.size())).execute(() -> {
                try {
                    outbound.verifyAndRelease();
                    Stamped back = allocate(size, heap);
                    if (back == null) {
                        inFlight.decrementAndGet();
                    } else {
                        returned.add(back);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                    inFlight.decrementAndGet();
                }
            });
        }

        private void releaseReturned() {
            for (Stamped back = returned.poll(); back != null; back = returned.poll()) {
                back.verifyAndRelease();
                inFlight.decrementAndGet();
                roundTrips.increment();
            }
        }

        /** 8 B to 3 MiB: mostly small, one in fifty a large allocation. */
        private int randomSize() {
            int bucket = random.nextInt(50);
            return bucket < 35 ? random.nextInt(8, 2048) : bucket < 49 ? random.nextInt(2048, 256 << 10)
                : random.nextInt(1 << 20, 3 << 20);
        }
    }

    /** Allocates and stamps a buffer on the calling thread; null (counted) if the allocator refuses. */
    private Stamped allocate(int size, boolean heap) {
        ByteBuf buffer;
        try {
            buffer = heap ? allocator.heapBuffer(size) : allocator.directBuffer(size);
        } catch (OutOfMemoryError e) {
            refused.increment();
            return null;
        }
        Stamped stamped = new Stamped(buffer.writerIndex(size), tags.incrementAndGet());
        Stamp.write(stamped.memory(), stamped.tag);
        return stamped;
    }

    private record Stamped(ByteBuf buffer, long tag) {
        MemorySegment memory() {
            return MemorySegment.ofBuffer(buffer.nioBuffer(0, buffer.capacity()));
        }

        void verifyAndRelease() {
            Stamp.verify(memory(), tag);
            if (!buffer.release()) {
                throw new IllegalStateException("a shuttled buffer was still referenced after its release");
            }
        }
    }
}
