package io.apfmalloc.core.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.testing.ThreadFailures;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The contract of {@link MemorySource}, which each implementation's test inherits (as Netty's
 * {@code AbstractByteBufTest}): a mapping is zeroed, readable and writable over all its bytes and aligned as asked;
 * mappings never overlap; an address used before reads zero again when it is mapped again; a mapping that cannot be
 * had is 0 and changes nothing; any thread may map, and unmap what another thread mapped. Sizes stay within what every
 * source grants: page multiples up to one 4 MiB slot of {@link ArrayMemorySource}, the largest superblock.
 */
abstract class MemorySourceContractTest {
    static final long PAGE = OsMemory.PAGE_SIZE;
    static final long MIB = 1L << 20;
    /** A size no source can grant: past the 47-bit user address space, and past any slot. */
    static final long IMPOSSIBLE = 1L << 56;

    /** What the test mapped and has not unmapped yet, by address: its size. */
    private final Map<Long, Long> mapped = new HashMap<>();
    MemorySource source;

    /** Makes the source under test; each test gets a fresh one. */
    abstract MemorySource newSource();

    /** Returns the bytes {@code [address, address + size)} of a mapping {@code source} returned. */
    abstract MemorySegment bytes(MemorySource source, long address, long size);

    @BeforeEach
    void makeSource() {
        source = newSource();
    }

    @AfterEach
    void unmapWhatIsLeft() {
        mapped.forEach(source::unmap);
        mapped.clear();
    }

    /** Maps through the source under test, which must grant it; the test unmaps it or {@link #unmapWhatIsLeft}. */
    long map(long size, long alignment) {
        long address = source.map(size, alignment);
        assertNotEquals(0, address, () -> "map(" + size + ", " + alignment + ") refused");
        mapped.put(address, size);
        return address;
    }

    void unmap(long address) {
        source.unmap(address, mapped.remove(address));
    }

    @ParameterizedTest(name = "map({0}, {1})")
    @CsvSource({"4096, 4096", "12288, 4096", "65536, 65536", "196608, 65536", "4096, 2097152", "4194304, 4194304"})
    void mapsZeroedWritableMemoryAlignedAsAsked(long size, long alignment) {
        long address = map(size, alignment);
        assertEquals(0, address & (alignment - 1), () -> "0x" + Long.toHexString(address) + " misaligned");
        MemorySegment bytes = bytes(source, address, size);
        assertAllBytes(bytes, (byte) 0, "fresh mapping");
        bytes.fill((byte) 0xA5);
        assertAllBytes(bytes, (byte) 0xA5, "written mapping");
    }

    @Test
    void mappingsNeverOverlapAndKeepTheirOwnBytes() {
        long[] sizes = {PAGE, 3 * PAGE, 64 << 10, PAGE, 192 << 10, 4 * MIB, 2 * PAGE, 1 * MIB};
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            long address = map(sizes[i], PAGE);
            bytes(source, address, sizes[i]).fill((byte) (i + 1));
            ranges.add(new long[] {address, sizes[i], i + 1});
        }
        for (long[] range : ranges) {
            assertAllBytes(bytes(source, range[0], range[1]), (byte) range[2], "mapping " + range[2]);
        }
        ranges.sort(Comparator.comparingLong(range -> range[0]));
        for (int i = 1; i < ranges.size(); i++) {
            long[] before = ranges.get(i - 1);
            assertTrue(before[0] + before[1] <= ranges.get(i)[0], "mappings overlap");
        }
    }

    @Test
    void anAddressUsedBeforeReadsZeroWhenMappedAgain() {
        for (int round = 0; round < 16; round++) {
            long address = map(64 << 10, 64 << 10);
            MemorySegment bytes = bytes(source, address, 64 << 10);
            assertAllBytes(bytes, (byte) 0, "mapping of round " + round);
            bytes.fill((byte) 0x5A);
            unmap(address);
        }
    }

    @Test
    void aMappingThatCannotBeHadIsZeroAndChangesNothing() {
        long held = map(PAGE, PAGE);
        bytes(source, held, PAGE).fill((byte) 7);
        assertEquals(0, source.map(IMPOSSIBLE, PAGE));
        assertAllBytes(bytes(source, held, PAGE), (byte) 7, "mapping held across the refusal");
        unmap(map(64 << 10, 64 << 10));
    }

    @Test
    void anyThreadMayMapAndUnmapWhatAnotherThreadMapped() throws InterruptedException {
        int threads = 4;
        int mappingsPerThread = 200;
        long[] sizes = {PAGE, 3 * PAGE, 64 << 10};
        ConcurrentLinkedQueue<long[]> handedOver = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong stamps = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("memory-source-" + t).start(() -> {
                try {
                    for (int i = 0; i < mappingsPerThread; i++) {
                        long size = sizes[i % sizes.length];
                        long address = source.map(size, PAGE);
                        assertNotEquals(0, address, "map(" + size + ") refused");
                        long stamp = stamps.incrementAndGet();
                        stamp(bytes(source, address, size), stamp);
                        handedOver.add(new long[] {address, size, stamp});
                        long[] other = handedOver.poll();
                        if (other != null) {
                            assertStamp(bytes(source, other[0], other[1]), other[2]);
                            source.unmap(other[0], other[1]);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        for (long[] other = handedOver.poll(); other != null; other = handedOver.poll()) {
            assertStamp(bytes(source, other[0], other[1]), other[2]);
            source.unmap(other[0], other[1]);
        }
        ThreadFailures.rethrowAll(failures, "mapping thread(s)");
    }

    /** Writes {@code stamp} into one long of every 512 bytes of {@code bytes}: every page is touched. */
    private static void stamp(MemorySegment bytes, long stamp) {
        for (long offset = 0; offset < bytes.byteSize(); offset += 512) {
            bytes.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, stamp);
        }
    }

    private static void assertStamp(MemorySegment bytes, long stamp) {
        for (long offset = 0; offset < bytes.byteSize(); offset += 512) {
            long found = bytes.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
            if (found != stamp) {
                throw new AssertionError("offset " + offset + " of a mapping stamped " + stamp + " reads " + found);
            }
        }
    }

    /** Asserts that every byte of {@code bytes} is {@code value}, naming the first that is not. */
    static void assertAllBytes(MemorySegment bytes, byte value, String what) {
        long expected = 0x0101_0101_0101_0101L * (value & 0xFF);
        for (long offset = 0; offset < bytes.byteSize(); offset += Long.BYTES) {
            long found = bytes.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
            if (found != expected) {
                throw new AssertionError(String.format("%s: the long at offset %d is 0x%x, expected 0x%x", what,
                    offset, found, expected));
            }
        }
    }
}
