package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.testing.HeapChecks;
import io.apfmalloc.core.testing.TestSeeds;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * After a burst of a few hundred MiB is freed and trimmed, the memory really goes back to the OS (DESIGN §2.1
 * layer 5): the allocator's own figure ({@code mappedBytes}) falls to 0, and the process's resident set
 * ({@code VmRSS}) falls back by nearly what the burst added.
 *
 * <p>Tolerances: every page we allocate is written, so the burst must add at least 75% of its bytes to the RSS
 * (the rest is slack for pages the JVM itself gives back meanwhile, e.g. after a GC). The JVM's own resident memory
 * drifts by a few MiB while the test runs (JIT code, GC structures, the test's own objects), so we ask that at least
 * 80% of the growth goes away, a margin of about 50 MiB on a ~270 MiB burst; a leak of whole superblocks or large
 * mappings would miss it by far, a lost superblock or two would not, and those are the audit's job.
 */
class MemoryReturnTest {
    private static final long MIB = 1L << 20;
    private static final long LIMIT = 1L << 30;
    private static final int ROUNDS = 3;
    /** 48 B blocks: 4,096 per 192 KiB superblock, so about 100 superblocks. */
    private static final int TINY_BLOCKS = 400_000;
    private static final long TINY_SIZE = 48;
    /** Blocks of 1 … 64 KiB, in many classes, until this many bytes. */
    private static final long MEDIUM_BYTES = 128 * MIB;
    private static final long MEDIUM_MIN = 1L << 10;
    private static final long MEDIUM_MAX = 64L << 10;
    /** Large allocations, each its own mapping. */
    private static final int LARGE_COUNT = 8;
    private static final long LARGE_SIZE = 16 * MIB;
    private static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    @Test
    void freedAndTrimmedMemoryLeavesTheProcess() {
        long seed = TestSeeds.seed();
        TestSeeds.run(seed, () -> bursts(seed));
    }

    private static void bursts(long seed) throws IOException {
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(LIMIT).build();
        SplittableRandom random = new SplittableRandom(seed);
        long[] tiny = new long[TINY_BLOCKS];
        long[] medium = new long[(int) (MEDIUM_BYTES / MEDIUM_MIN)];
        long[] large = new long[LARGE_COUNT];
        for (int round = 0; round < ROUNDS; round++) {
            long before = residentBytes();

            long touched = 0;
            for (int i = 0; i < tiny.length; i++) {
                tiny[i] = allocate(allocator, TINY_SIZE);
                EVERYTHING.set(ValueLayout.JAVA_LONG_UNALIGNED, tiny[i], i);
                EVERYTHING.set(ValueLayout.JAVA_LONG_UNALIGNED, tiny[i] + TINY_SIZE - 8, i);
            }
            touched += tiny.length * TINY_SIZE;
            int mediumCount = 0;
            for (long bytes = 0; bytes < MEDIUM_BYTES; mediumCount++) {
                long size = random.nextLong(MEDIUM_MIN, MEDIUM_MAX + 1);
                medium[mediumCount] = allocate(allocator, size);
                EVERYTHING.asSlice(medium[mediumCount], size).fill((byte) round);
                bytes += size;
                touched += size;
            }
            for (int i = 0; i < large.length; i++) {
                large[i] = allocate(allocator, LARGE_SIZE);
                EVERYTHING.asSlice(large[i], LARGE_SIZE).fill((byte) round);
                touched += LARGE_SIZE;
            }
            long peak = residentBytes();
            AllocatorStats atPeak = allocator.stats();
            assertTrue(atPeak.mappedBytes() >= touched, "mapped " + atPeak.mappedBytes() + " < touched " + touched);

            for (long block : tiny) {
                allocator.free(block);
            }
            for (int i = 0; i < mediumCount; i++) {
                allocator.free(medium[i]);
            }
            for (long block : large) {
                allocator.free(block);
            }
            allocator.flushThreadCache();
            allocator.trim();
            long after = residentBytes();
            AllocatorStats afterTrim = allocator.stats();

            String figures = String.format("round %d: RSS before %d MiB, at peak %d MiB, after trim %d MiB; "
                + "touched %d MiB; %s", round, before / MIB, peak / MIB, after / MIB, touched / MIB, afterTrim);
            assertEquals(0, afterTrim.mappedBytes(), figures);
            assertEquals(0, afterTrim.liveSuperblocks(), figures);
            long added = peak - before;
            assertTrue(added >= touched * 3 / 4, "the burst should have added what it touched to the RSS; " + figures);
            assertTrue(peak - after >= added * 4 / 5, "the RSS should fall by at least 80% of the burst; " + figures);
        }
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    /** Allocates without making garbage on the way, which would grow the JVM's heap and blur the RSS figures. */
    private static long allocate(ApfAllocator allocator, long size) {
        long address = allocator.malloc(size);
        if (address == 0) {
            throw new AssertionError("malloc(" + size + ") failed: " + allocator.stats());
        }
        return address;
    }

    /** Returns the process's resident set size, from {@code VmRSS} in {@code /proc/self/status}. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] fields = line.trim().split("\\s+");
                assertEquals("kB", fields[2], line);
                return Long.parseLong(fields[1]) * 1024;
            }
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }
}
