package io.apfmalloc.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.apfmalloc.core.BinStats;
import io.apfmalloc.core.ThreadCacheStats;
import io.apfmalloc.netty.ApfByteBufAllocator;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the integration tests check about an {@link ApfByteBufAllocator} after a framework moved traffic through it,
 * read from its {@link ApfByteBufAllocator#metric() metric()}: which event loops allocated, and that every buffer
 * came back.
 */
final class AllocatorTraffic {
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(10);

    private AllocatorTraffic() {
    }

    /** Returns the allocations each thread's cache made, direct and heap summed, by cache owner (thread name). */
    static Map<String, Long> allocationsByThread(ApfByteBufAllocator allocator) {
        return Stream.concat(allocator.metric().threadCaches().stream(),
                allocator.metric().heapThreadCaches().stream())
            .collect(Collectors.groupingBy(ThreadCacheStats::owner,
                Collectors.summingLong(cache -> cache.bins().stream().mapToLong(BinStats::allocations).sum())));
    }

    /**
     * Checks that threads whose names start with {@code threadPrefix} (the framework's event loops) made at least
     * {@code minimum} allocations in all, and returns that sum.
     */
    static long assertEventLoopsAllocated(ApfByteBufAllocator allocator, String threadPrefix, long minimum) {
        Map<String, Long> byThread = allocationsByThread(allocator);
        long allocations = byThread.entrySet().stream().filter(entry -> entry.getKey().startsWith(threadPrefix))
            .mapToLong(Map.Entry::getValue).sum();
        assertThat(allocations).as("allocations on %s* threads, of %s", threadPrefix, byThread)
            .isGreaterThanOrEqualTo(minimum);
        return allocations;
    }

    /** Waits until no buffer of {@code allocator} is live any more (the framework released all it took). */
    static void assertAllReleased(ApfByteBufAllocator allocator) throws InterruptedException {
        long deadline = System.nanoTime() + RELEASE_TIMEOUT.toNanos();
        while (live(allocator) != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(live(allocator)).as("live buffers of %s", allocator.metric()).isZero();
    }

    private static long live(ApfByteBufAllocator allocator) {
        return allocator.metric().liveDirectBuffers() + allocator.metric().liveHeapBuffers();
    }

    /** Returns the stacks of the live threads whose names start with {@code threadPrefix}, for a failure message. */
    static String threadDump(String threadPrefix) {
        return Thread.getAllStackTraces().entrySet().stream()
            .filter(entry -> entry.getKey().getName().startsWith(threadPrefix))
            .map(entry -> entry.getKey() + " " + entry.getKey().getState() + Arrays.stream(entry.getValue())
                .map(frame -> "\n    at " + frame).collect(Collectors.joining()))
            .collect(Collectors.joining("\n"));
    }

    /** Returns {@code sizes} bodies of random bytes (seeded, so a failure repeats). */
    static List<byte[]> randomBodies(long seed, int... sizes) {
        Random random = new Random(seed);
        return Arrays.stream(sizes).mapToObj(size -> {
            byte[] body = new byte[size];
            random.nextBytes(body);
            return body;
        }).toList();
    }
}
