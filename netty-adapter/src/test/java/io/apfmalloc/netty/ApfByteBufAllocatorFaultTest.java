package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.testing.ControlledFaults;
import io.apfmalloc.core.testing.TestSeeds;
import io.apfmalloc.core.testing.ThreadFailures;
import io.apfmalloc.netty.BufferCommand.Where;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adapter's failure paths, driven by a fault injector in its cores ({@link ControlledFaults}: mappings refused
 * as if the OS had) and by its memory limit. An allocation or a growth that cannot get memory throws
 * {@link OutOfMemoryError} naming what is allocated and the limit, counts nothing and leaves the buffer it grew as it
 * was; under random faults on several threads (event loops among them) every failure is such an error and every
 * success a correct buffer, and nothing is lost: the audit is consistent, the live counts exact, and a trim after
 * release gives every byte back; once faults stop, allocation works again; and the limit holds exactly under
 * concurrent load.
 */
class ApfByteBufAllocatorFaultTest {
    private static final int SMALL = 100;
    private static final int MEDIUM = 64 * 1024;
    private static final int LARGE = 2 << 20;
    /** A size past every size class the test buffers start in, whose superblock no cache holds yet. */
    private static final int GROWN = 256 * 1024;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("apf-fault"),
        NioIoHandler.newFactory());
    /** The event loop the single-threaded tests use. */
    private final EventExecutor loop = group.next();

    @AfterEach
    void stopEventLoops() throws InterruptedException {
        group.shutdownGracefully(0, Tasks.TIMEOUT_SECONDS, TimeUnit.SECONDS).sync();
    }

    static Stream<Arguments> allocations() {
        return Stream.of(true, false).flatMap(direct -> Stream.of(SMALL, MEDIUM, LARGE)
            .flatMap(size -> Stream.of(Where.CALLER, Where.EVENT_LOOP)
                .map(where -> Arguments.of(direct, size, where))));
    }

    @ParameterizedTest(name = "direct={0}, {1} B, on {2}")
    @MethodSource("allocations")
    void aRefusedAllocationThrowsOutOfMemoryErrorCountsNothingAndWorksOnceFaultsStop(boolean direct, int size,
                                                                                  Where where) throws Exception {
        ControlledFaults faults = new ControlledFaults(0);
        ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().faultInjector(faults).build();
        faults.startOutage();
        OutOfMemoryError error = assertThrows(OutOfMemoryError.class,
            () -> on(where, () -> allocate(allocator, direct, size)));
        assertNamesAllocatedAndLimit(error);
        assertTrue(faults.refused() > 0, "the injector refused the mapping");
        assertLive(allocator, 0, 0, 0, 0);

        faults.stop();
        byte[] content = pattern(size, size);
        ByteBuf buffer = on(where, () -> allocate(allocator, direct, size).writeBytes(content));
        assertContent(buffer, content);
        assertLive(allocator, direct ? 1 : 0, direct ? size : 0, direct ? 0 : 1, direct ? 0 : size);
        assertTrue(on(where, () -> buffer.release()));
        assertLive(allocator, 0, 0, 0, 0);
        on(where, () -> {
            allocator.trim();
            return null;
        });
        assertEquals(0, allocator.metric().usedDirectMemory());
        assertEquals(0, allocator.metric().usedHeapMemory());
    }

    /** The ways a buffer grows past its block. */
    enum Growth {
        CAPACITY {
            @Override
            void grow(ByteBuf buffer, int capacity) {
                buffer.capacity(capacity);
            }
        },
        ENSURE_WRITABLE {
            @Override
            void grow(ByteBuf buffer, int capacity) {
                buffer.ensureWritable(capacity - buffer.writerIndex());
            }
        },
        /** A buffer written to its capacity, so that the write must grow it. */
        WRITE_BYTES {
            @Override
            void grow(ByteBuf buffer, int capacity) {
                buffer.writeBytes(new byte[capacity - buffer.writerIndex()]);
            }
        };

        /** Grows {@code buffer} to at least {@code capacity} bytes. */
        abstract void grow(ByteBuf buffer, int capacity);
    }

    static Stream<Arguments> growths() {
        return Stream.of(true, false).flatMap(direct -> Stream.of(Growth.values())
            .flatMap(growth -> Stream.of(Where.CALLER, Where.EVENT_LOOP)
                .map(where -> Arguments.of(direct, growth, where))));
    }

    @ParameterizedTest(name = "direct={0}, {1}, on {2}")
    @MethodSource("growths")
    void aRefusedGrowthThrowsOutOfMemoryErrorAndLeavesTheBufferIntact(boolean direct, Growth growth, Where where)
            throws Exception {
        ControlledFaults faults = new ControlledFaults(0);
        ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().faultInjector(faults).build();
        byte[] content = pattern(1, 1000);
        ByteBuf buffer = on(where, () -> allocate(allocator, direct, content.length).writeBytes(content));
        buffer.readerIndex(10);
        int fastWritable = buffer.maxFastWritableBytes();

        faults.startOutage();
        OutOfMemoryError error = assertThrows(OutOfMemoryError.class, () -> on(where, () -> {
            growth.grow(buffer, GROWN);
            return null;
        }));
        assertNamesAllocatedAndLimit(error);
        assertIntact(buffer, content, 10, fastWritable);
        assertLive(allocator, direct ? 1 : 0, direct ? content.length : 0, direct ? 0 : 1,
            direct ? 0 : content.length);
        buffer.setByte(0, ~content[0]).setByte(0, content[0]);
        assertIntact(buffer, content, 10, fastWritable);

        faults.stop();
        on(where, () -> {
            growth.grow(buffer, GROWN);
            return null;
        });
        assertTrue(buffer.capacity() >= GROWN);
        assertContent(buffer.slice(0, content.length), content);
        assertTrue(on(where, () -> buffer.release()));
        assertLive(allocator, 0, 0, 0, 0);
    }

    /**
     * A heap buffer past the heap core's 4 MiB blocks takes an array of its own; when the Java heap cannot make it
     * (here an array longer than any the VM makes), the buffer must keep its block as it was.
     */
    @Test
    void aHeapGrowthTheJavaHeapRefusesLeavesTheBufferIntact() throws Exception {
        ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().build();
        byte[] content = pattern(2, 1000);
        ByteBuf buffer = allocator.heapBuffer(content.length).writeBytes(content).readerIndex(10);
        int fastWritable = buffer.maxFastWritableBytes();
        assertThrows(OutOfMemoryError.class, () -> buffer.capacity(Integer.MAX_VALUE));
        assertIntact(buffer, content, 10, fastWritable);
        assertLive(allocator, 0, 0, 1, content.length);
        buffer.capacity(8 << 20);
        assertContent(buffer.slice(0, content.length), content);
        assertTrue(buffer.release());
        assertLive(allocator, 0, 0, 0, 0);
    }

    @Test
    void underRandomFaultsEveryFailureIsAnOutOfMemoryErrorAndNothingIsLost() throws Exception {
        long seed = TestSeeds.seed();
        TestSeeds.run(seed, () -> {
            ControlledFaults faults = new ControlledFaults(seed);
            // No retained superblocks: every superblock emptied is unmapped, so mappings (and faults) stay frequent.
            ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().faultInjector(faults).retainBytes(0)
                .retainMillis(0).checked(true).build();
            faults.refuseWithProbability(0.3);
            ExecutorService plainThreads = Executors.newFixedThreadPool(2);
            List<FaultWorker> workers = new ArrayList<>();
            List<Future<FaultWorker>> running = new ArrayList<>();
            try {
                for (EventExecutor each : group) {
                    FaultWorker worker = new FaultWorker(allocator, seed + workers.size());
                    workers.add(worker);
                    running.add(each.submit(worker));
                }
                for (int i = 0; i < 2; i++) {
                    FaultWorker worker = new FaultWorker(allocator, seed + workers.size());
                    workers.add(worker);
                    running.add(plainThreads.submit(worker));
                }
                awaitAll(running, "fault workers");
            } finally {
                plainThreads.shutdown();
            }
            faults.stop();
            long refusals = workers.stream().mapToLong(worker -> worker.refusals).sum();
            assertTrue(refusals > 0 && faults.refused() > 0, "faults were injected and seen");
            assertTrue(workers.stream().mapToLong(worker -> worker.successes).sum() > refusals,
                "most operations succeeded");

            List<ByteBuf> held = workers.stream().flatMap(worker -> worker.held.stream()).map(Held::buffer).toList();
            assertLive(allocator, count(held, true), capacity(held, true), count(held, false), capacity(held, false));
            for (FaultWorker worker : workers) {
                worker.held.forEach(FaultWorker::releaseVerified);
            }
            assertLive(allocator, 0, 0, 0, 0);
            assertTrue(plainThreads.awaitTermination(Tasks.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            stopEventLoops();
            allocator.trim();
            assertEquals(0, allocator.metric().usedDirectMemory(), "direct memory held after release and trim");
            assertEquals(0, allocator.metric().usedHeapMemory(), "heap memory held after release and trim");
        });
    }

    @Test
    void theDirectMemoryLimitHoldsExactlyUnderConcurrentLoad() throws Exception {
        long limit = 24L << 20;
        long seed = TestSeeds.seed();
        TestSeeds.run(seed, () -> {
            ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().maxDirectMemory(limit).build();
            AtomicLong mostUsed = new AtomicLong();
            AtomicBoolean loading = new AtomicBoolean(true);
            Thread sampler = Thread.ofPlatform().start(() -> {
                while (loading.get()) {
                    mostUsed.accumulateAndGet(allocator.metric().usedDirectMemory(), Math::max);
                    Thread.yield();
                }
            });
            ExecutorService plainThreads = Executors.newFixedThreadPool(2);
            List<LimitWorker> workers = new ArrayList<>();
            List<Future<LimitWorker>> running = new ArrayList<>();
            try {
                for (EventExecutor each : group) {
                    LimitWorker worker = new LimitWorker(allocator, limit, mostUsed, seed + workers.size());
                    workers.add(worker);
                    running.add(each.submit(worker));
                }
                for (int i = 0; i < 2; i++) {
                    LimitWorker worker = new LimitWorker(allocator, limit, mostUsed, seed + workers.size());
                    workers.add(worker);
                    running.add(plainThreads.submit(worker));
                }
                awaitAll(running, "allocating threads");
            } finally {
                loading.set(false);
                sampler.join();
                plainThreads.shutdown();
            }
            assertTrue(mostUsed.get() <= limit, () -> "used " + mostUsed.get() + " of a limit of " + limit);
            assertTrue(workers.stream().allMatch(worker -> worker.refusals > 0), "every thread was refused");

            List<ByteBuf> held = workers.stream().flatMap(worker -> worker.held.stream()).toList();
            assertLive(allocator, held.size(), capacity(held, true), 0, 0);
            held.forEach(ByteBuf::release);
            assertLive(allocator, 0, 0, 0, 0);
            stopEventLoops();
            allocator.trim();
            assertEquals(0, allocator.metric().usedDirectMemory(), "direct memory held after release and trim");
        });
    }

    /** One buffer a worker holds, filled with the pattern of {@code tag} up to its writer index. */
    private record Held(ByteBuf buffer, int tag) {
    }

    /**
     * One thread's share of the random-fault workload: it allocates direct and heap buffers of mixed sizes, grows
     * them past their blocks in each of the three ways, and releases them, checking each buffer's contents all
     * along and that every failure is an {@link OutOfMemoryError} that changed nothing.
     */
    private static final class FaultWorker implements Callable<FaultWorker> {
        private static final int OPERATIONS = 5_000;
        private static final int MAX_HELD = 32;
        private static final int MAX_GROWN = 4 << 20;

        private final ApfByteBufAllocator allocator;
        private final SplittableRandom random;
        private final List<Held> held = new ArrayList<>();
        private int nextTag;
        private long successes;
        private long refusals;

        FaultWorker(ApfByteBufAllocator allocator, long seed) {
            this.allocator = allocator;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public FaultWorker call() {
            for (int operation = 0; operation < OPERATIONS; operation++) {
                int pick = random.nextInt(10);
                if (held.isEmpty() || pick < 4) {
                    allocate();
                } else if (pick < 7) {
                    grow(held.get(random.nextInt(held.size())));
                } else {
                    releaseVerified(held.remove(random.nextInt(held.size())));
                }
                if (held.size() > MAX_HELD) {
                    releaseVerified(held.removeFirst());
                }
            }
            return this;
        }

        private void allocate() {
            int pick = random.nextInt(10);
            int size = pick < 6 ? random.nextInt(2048) : pick < 8 ? random.nextInt(128 * 1024) : LARGE;
            boolean direct = random.nextBoolean();
            ByteBuf buffer;
            try {
                buffer = ApfByteBufAllocatorFaultTest.allocate(allocator, direct, size);
            } catch (OutOfMemoryError error) {
                refused(error);
                return;
            }
            int tag = nextTag++;
            buffer.writeBytes(pattern(tag, Math.min(size, 4096)));
            assertEquals(size, buffer.capacity());
            assertEquals(direct, buffer.isDirect());
            held.add(new Held(buffer, tag));
            successes++;
        }

        /**
         * Grows a buffer under 2 MiB to 2 … 8 times its capacity (at most 4 MiB, so it stays a block of its core),
         * or writes past its capacity.
         */
        private void grow(Held held) {
            ByteBuf buffer = held.buffer();
            int capacity = buffer.capacity();
            int writer = buffer.writerIndex();
            if (capacity >= MAX_GROWN / 2) {
                verify(held);
                return;
            }
            int target = (int) Math.min(MAX_GROWN, Math.max(64, (long) capacity * (2 + random.nextInt(7))));
            Growth growth = Growth.values()[random.nextInt(Growth.values().length)];
            try {
                if (growth == Growth.WRITE_BYTES) {
                    byte[] more = pattern(held.tag(), capacity + 1 + random.nextInt(4096));
                    buffer.writeBytes(more, writer, more.length - writer);
                } else {
                    growth.grow(buffer, target);
                    assertTrue(buffer.capacity() >= target, "grown to at least the target");
                }
                successes++;
            } catch (OutOfMemoryError error) {
                refused(error);
                assertEquals(capacity, buffer.capacity(), "a refused growth keeps the capacity");
                assertEquals(writer, buffer.writerIndex(), "a refused growth keeps the indices");
            }
            verify(held);
        }

        private void refused(OutOfMemoryError error) {
            assertNamesAllocatedAndLimit(error);
            refusals++;
        }

        private static void verify(Held held) {
            ByteBuf buffer = held.buffer();
            assertContent(buffer.slice(0, buffer.writerIndex()), pattern(held.tag(), buffer.writerIndex()));
        }

        static void releaseVerified(Held held) {
            verify(held);
            assertTrue(held.buffer().release());
        }
    }

    /**
     * One thread of the limit test: allocates direct buffers of mixed sizes and holds them, sampling the memory
     * used after each; once refused, it releases one of its buffers and goes on, so that the threads keep competing
     * for the last bytes under the limit, until it has been refused often enough.
     */
    private static final class LimitWorker implements Callable<LimitWorker> {
        private static final int MAX_ATTEMPTS = 20_000;
        private static final int ENOUGH_REFUSALS = 200;

        private final ApfByteBufAllocator allocator;
        private final long limit;
        private final AtomicLong mostUsed;
        private final SplittableRandom random;
        private final List<ByteBuf> held = new ArrayList<>();
        private int refusals;

        LimitWorker(ApfByteBufAllocator allocator, long limit, AtomicLong mostUsed, long seed) {
            this.allocator = allocator;
            this.limit = limit;
            this.mostUsed = mostUsed;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public LimitWorker call() {
            for (int attempt = 0; attempt < MAX_ATTEMPTS && refusals < ENOUGH_REFUSALS; attempt++) {
                int pick = random.nextInt(10);
                int size = pick < 5 ? 1 + random.nextInt(4096) : pick < 9 ? random.nextInt(512 * 1024) : LARGE;
                try {
                    held.add(allocator.directBuffer(size));
                } catch (OutOfMemoryError error) {
                    assertTrue(error.getMessage().contains("limit: " + limit), error::getMessage);
                    refusals++;
                    if (!held.isEmpty()) {
                        assertTrue(held.remove(random.nextInt(held.size())).release());
                    }
                }
                mostUsed.accumulateAndGet(allocator.metric().usedDirectMemory(), Math::max);
            }
            return this;
        }
    }

    /** Runs {@code action} on the test's thread or an event loop and returns what it returned. */
    private <T> T on(Where where, Callable<T> action) throws Exception {
        return where == Where.EVENT_LOOP ? Tasks.await(loop.submit(action)) : action.call();
    }

    private static ByteBuf allocate(ApfByteBufAllocator allocator, boolean direct, int size) {
        return direct ? allocator.directBuffer(size) : allocator.heapBuffer(size);
    }

    /**
     * Checks the live counts and, once the event loops are idle (a task on each has run), the audit: consistent,
     * with exactly the live buffers' blocks in use.
     */
    private void assertLive(ApfByteBufAllocator allocator, long directBuffers, long directBytes, long heapBuffers,
                            long heapBytes) throws Exception {
        if (!group.isShutdown()) {
            for (EventExecutor each : group) {
                Tasks.await(each.submit(() -> null));
            }
        }
        ApfByteBufAllocatorMetric metric = allocator.metric();
        assertEquals(directBuffers, metric.liveDirectBuffers(), "live direct buffers");
        assertEquals(directBytes, metric.liveDirectBytes(), "live direct bytes");
        assertEquals(heapBuffers, metric.liveHeapBuffers(), "live heap buffers");
        assertEquals(heapBytes, metric.liveHeapBytes(), "live heap bytes");
        BufferAudit audit = allocator.audit();
        assertTrue(audit.isConsistent(), audit.problems()::toString);
        assertEquals(directBuffers, audit.liveDirectBuffers(), "live direct buffers in the audit");
        assertEquals(directBuffers, audit.direct().allocationsWithUsers(), "direct blocks with users");
        assertEquals(heapBuffers, audit.heap().allocationsWithUsers(), "heap blocks with users");
    }

    private static void assertIntact(ByteBuf buffer, byte[] content, int readerIndex, int fastWritable) {
        assertEquals(1, buffer.refCnt());
        assertEquals(content.length, buffer.capacity(), "capacity");
        assertEquals(readerIndex, buffer.readerIndex(), "readerIndex");
        assertEquals(content.length, buffer.writerIndex(), "writerIndex");
        assertEquals(fastWritable, buffer.maxFastWritableBytes(), "maxFastWritableBytes");
        assertContent(buffer.slice(0, content.length), content);
    }

    private static void assertContent(ByteBuf buffer, byte[] expected) {
        byte[] actual = new byte[buffer.readableBytes()];
        buffer.getBytes(buffer.readerIndex(), actual);
        assertArrayEquals(expected, actual);
    }

    static void assertNamesAllocatedAndLimit(OutOfMemoryError error) {
        assertTrue(error.getMessage().contains("allocated: ") && error.getMessage().contains("limit: "),
            error::getMessage);
    }

    /** Returns {@code length} bytes of a pattern that differs by tag and by position. */
    static byte[] pattern(int tag, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (tag * 131 + i * 7 + (i >>> 8));
        }
        return bytes;
    }

    private static <T> void awaitAll(List<Future<T>> running, String threads) {
        List<Throwable> failures = new ArrayList<>();
        for (Future<T> future : running) {
            try {
                Tasks.await(future);
            } catch (Throwable failure) {
                failures.add(failure);
            }
        }
        ThreadFailures.rethrowAll(failures, threads);
    }

    private static long count(List<ByteBuf> buffers, boolean direct) {
        return buffers.stream().filter(buffer -> buffer.isDirect() == direct).count();
    }

    private static long capacity(List<ByteBuf> buffers, boolean direct) {
        return buffers.stream().filter(buffer -> buffer.isDirect() == direct).mapToLong(ByteBuf::capacity).sum();
    }
}
