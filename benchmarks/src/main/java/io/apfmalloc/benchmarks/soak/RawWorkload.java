package io.apfmalloc.benchmarks.soak;

import io.apfmalloc.core.ApfAllocator;
import io.apfmalloc.core.HeapAudit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The raw-API part of the soak: threads malloc, realloc and free blocks of every size class and past it on their
 * own allocator, stamp them, and hand many to one another, so blocks migrate between thread caches; a share of the
 * allocator's mappings is refused. {@link #audit} checks the allocator against exactly the blocks the threads hold.
 */
final class RawWorkload {
    /** Blocks one thread holds at most; bounds live memory to about threads × 128 × the mean size (~30 KiB). */
    private static final int MAX_HELD = 128;
    /** Blocks waiting in one thread's inbox at most; past it the sender frees the block itself. */
    private static final int MAX_INBOX = 256;

    private final ApfAllocator allocator;
    private final PausePoint pause;
    private final List<Worker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder operations = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder crossThreadFrees = new LongAdder();
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentLinkedQueue<Throwable> failures;
    private volatile boolean stopping;
    /** Counted down by each thread as it stops sending blocks, so that no block lands in an inbox drained already. */
    private final CountDownLatch stoppedSending;

    RawWorkload(ApfAllocator allocator, int threadCount, long seed, PausePoint pause,
                ConcurrentLinkedQueue<Throwable> failures) {
        this.allocator = allocator;
        this.pause = pause;
        this.failures = failures;
        this.stoppedSending = new CountDownLatch(threadCount);
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int i = 0; i < threadCount; i++) {
            workers.add(new Worker(i, seeds.split()));
        }
    }

    void start() {
        for (Worker worker : workers) {
            threads.add(Thread.ofPlatform().name("soak-raw-" + worker.index).start(worker::run));
        }
    }

    /** Makes the threads free everything they hold and end; returns once they have. */
    void stop() throws InterruptedException {
        stopping = true;
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** Runs the invariant checker against the blocks the threads hold; only while they are paused or ended. */
    HeapAudit audit() {
        List<Long> live = new ArrayList<>();
        for (Worker worker : workers) {
            worker.held.forEach(block -> live.add(block.address));
            worker.inbox.forEach(block -> live.add(block.address));
        }
        return allocator.audit(live.stream().mapToLong(Long::longValue).toArray());
    }

    /** Returns the bytes the threads hold now (requested sizes); only while they are paused. */
    long liveBytes() {
        long bytes = 0;
        for (Worker worker : workers) {
            for (Block block : worker.held) {
                bytes += block.size;
            }
            for (Block block : worker.inbox) {
                bytes += block.size;
            }
        }
        return bytes;
    }

    long operations() {
        return operations.sum();
    }

    long refused() {
        return refused.sum();
    }

    long crossThreadFrees() {
        return crossThreadFrees.sum();
    }

    int threads() {
        return workers.size();
    }

    private record Block(long address, long size, long tag) {
    }

    private final class Worker {
        final int index;
        final SplittableRandom random;
        final List<Block> held = new ArrayList<>();
        final ConcurrentLinkedQueue<Block> inbox = new ConcurrentLinkedQueue<>();
        final AtomicInteger inboxSize = new AtomicInteger();

        Worker(int index, SplittableRandom random) {
            this.index = index;
            this.random = random;
        }

        void run() {
            try {
                try {
                    while (!stopping) {
                        pause.checkpoint();
                        freeReceived(4);
                        step();
                        operations.increment();
                    }
                } finally {
                    stoppedSending.countDown();
                }
                stoppedSending.await();
                held.forEach(this::free);
                held.clear();
                freeReceived(Integer.MAX_VALUE);
                allocator.flushThreadCache();
            } catch (Throwable t) {
                failures.add(t);
            }
        }

        private void step() {
            int choice = random.nextInt(100);
            if (held.isEmpty() || held.size() < MAX_HELD && choice < 50) {
                long size = randomSize();
                long address = random.nextInt(8) == 0 ? allocator.alignedAlloc(1L << random.nextInt(4, 22), size)
                    : allocator.malloc(size);
                if (address == 0) {
                    refused.increment();
                } else {
                    held.add(stamped(address, size));
                }
                return;
            }
            Block block = held.remove(random.nextInt(held.size()));
            if (choice < 65) {
                realloc(block);
            } else if (choice < 85) {
                send(block);
            } else {
                free(block);
            }
        }

        private void realloc(Block block) {
            verify(block);
            long size = randomSize();
            long moved = allocator.realloc(block.address, size);
            if (moved == 0) {
                refused.increment();
                verify(block);
                held.add(block);
                return;
            }
            Stamp.verify(allocator.segment(moved, Math.min(block.size, size)), block.size, block.tag);
            held.add(stamped(moved, size));
        }

        private void send(Block block) {
            Worker target = workers.get((index + 1 + random.nextInt(workers.size() - 1)) % workers.size());
            if (target.inboxSize.incrementAndGet() <= MAX_INBOX) {
                target.inbox.add(block);
            } else {
                target.inboxSize.decrementAndGet();
                free(block);
            }
        }

        private void freeReceived(int most) {
            for (int i = 0; i < most; i++) {
                Block block = inbox.poll();
                if (block == null) {
                    return;
                }
                inboxSize.decrementAndGet();
                free(block);
                crossThreadFrees.increment();
            }
        }

        private Block stamped(long address, long size) {
            Block block = new Block(address, size, sequence.incrementAndGet());
            Stamp.write(allocator.segment(address, size), block.tag);
            return block;
        }

        private void verify(Block block) {
            Stamp.verify(allocator.segment(block.address, block.size), block.tag);
        }

        private void free(Block block) {
            verify(block);
            allocator.free(block.address);
        }

        /** 8 B to 3 MiB: mostly small, a tail past the largest class (1 MiB) that maps memory of its own. */
        private long randomSize() {
            int bucket = random.nextInt(1000);
            if (bucket < 600) {
                return random.nextLong(8, 512);
            } else if (bucket < 900) {
                return random.nextLong(512, 16 << 10);
            } else if (bucket < 990) {
                return random.nextLong(16 << 10, 1 << 20);
            }
            return random.nextLong(1 << 20, 3 << 20);
        }
    }
}
