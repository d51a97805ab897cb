package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.HeapAudit;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Buffers allocated on one event loop and released on another, on a plain thread and on virtual threads, at scale,
 * with the core in checked mode (a double free throws). Ends with the core's audit: with the buffers still held,
 * every block is in exactly one place; after release nothing is live, and once the loops end their caches are gone
 * and a trim returns every byte to the OS.
 */
class CrossThreadReleaseTest {
    private static final int ROUNDS = 50;
    private static final int BUFFERS_PER_ROUND = 4_000;

    @Test
    void buffersReleasedOnOtherThreadsAreAccountedFor() throws Exception {
        ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().preferDirect(true).checked(true).build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("apf-cross"),
            NioIoHandler.newFactory());
        EventLoop producer = group.next();
        EventLoop consumer = group.next();
        ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
        ExecutorService plainThread = Executors.newSingleThreadExecutor();
        long seed = System.nanoTime();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Random random = new Random(seed + round);
                List<ByteBuf> buffers = producer.submit(() -> allocateFilled(allocator, random)).get();
                if (round == ROUNDS / 2) {
                    auditWithLive(allocator, buffers);
                }
                List<List<ByteBuf>> parts = split(buffers, 4);
                List<Future<?>> releases = new ArrayList<>();
                releases.add(consumer.submit(() -> releaseVerified(parts.get(0))));
                releases.add(plainThread.submit(() -> releaseVerified(parts.get(1))));
                for (ByteBuf buffer : parts.get(2)) {
                    releases.add(virtualThreads.submit(() -> releaseVerified(List.of(buffer))));
                }
                releases.add(producer.submit(() -> releaseVerified(parts.get(3))));
                for (Future<?> release : releases) {
                    release.get(60, TimeUnit.SECONDS);
                }
            }
            assertEquals(0, allocator.metric().liveDirectBuffers());
            assertEquals(0, allocator.metric().liveDirectBytes());
            auditWithLive(allocator, List.of());
            assertTrue(allocator.metric().threadCaches().stream()
                .anyMatch(cache -> cache.owner().startsWith("apf-cross")), "the loops have caches of their own");
        } finally {
            virtualThreads.close();
            plainThread.shutdown();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
        assertTrue(allocator.metric().threadCaches().stream()
            .noneMatch(cache -> cache.owner().startsWith("apf-cross")), "ended loops closed their caches");
        long held = allocator.metric().usedDirectMemory();
        allocator.trim();
        assertEquals(0, allocator.metric().usedDirectMemory(), "held " + held + " before trim; seed " + seed);
        auditWithLive(allocator, List.of());
    }

    private static List<ByteBuf> allocateFilled(ApfByteBufAllocator allocator, Random random) {
        List<ByteBuf> buffers = new ArrayList<>(BUFFERS_PER_ROUND);
        for (int i = 0; i < BUFFERS_PER_ROUND; i++) {
            int size = random.nextInt(8) == 0 ? 1 + random.nextInt(256 * 1024) : 1 + random.nextInt(2048);
            ByteBuf buffer = allocator.directBuffer(size);
            byte mark = (byte) buffer.memoryAddress();
            buffer.writerIndex(size).setByte(0, mark).setByte(size - 1, mark);
            buffers.add(buffer);
        }
        return buffers;
    }

    /** Checks that no other buffer scribbled on this one, then releases it (a double free would throw). */
    private static void releaseVerified(List<ByteBuf> buffers) {
        for (ByteBuf buffer : buffers) {
            byte mark = (byte) buffer.memoryAddress();
            assertEquals(mark, buffer.getByte(0));
            assertEquals(mark, buffer.getByte(buffer.writerIndex() - 1));
            assertTrue(buffer.release());
        }
    }

    /** Audits the core with {@code buffers} live; all are small blocks (256 KiB at most, under the 1 MiB class). */
    private static void auditWithLive(ApfByteBufAllocator allocator, List<ByteBuf> buffers) {
        long[] live = buffers.stream().mapToLong(ByteBuf::memoryAddress).toArray();
        HeapAudit audit = allocator.directCore().audit(live);
        assertTrue(audit.isConsistent(), audit.problems().toString());
        assertEquals(live.length, audit.liveBlocks());
    }

    private static List<List<ByteBuf>> split(List<ByteBuf> buffers, int parts) {
        List<List<ByteBuf>> split = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            split.add(List.copyOf(buffers.subList(i * buffers.size() / parts, (i + 1) * buffers.size() / parts)));
        }
        return split;
    }
}
