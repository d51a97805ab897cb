package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.testing.HeapChecks;
import io.apfmalloc.core.testing.PatternedBlock;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of bad input gets its documented result (ApfAllocator's class Javadoc and DESIGN §2.3–2.4), and the
 * allocator stays consistent afterwards: the audit passes, the test's blocks keep their contents, and a normal
 * malloc/free still works.
 */
class BadInputTest {
    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** Allocates {@code size} bytes and fills them with a pattern, to show later that bad calls left them alone. */
    private static PatternedBlock allocate(ApfAllocator allocator, long size) {
        long address = allocator.malloc(size);
        assertNotEquals(0, address, "malloc(" + size + ")");
        return fill(allocator, address, size);
    }

    private static PatternedBlock fill(ApfAllocator allocator, long address, long size) {
        return PatternedBlock.fill(allocator, address, size, 0);
    }

    private static ApfAllocator allocator(boolean checked) {
        return ApfAllocator.builder().maxMemory(256 * MIB).checked(checked).build();
    }

    /** Asserts the heap is consistent with {@code held}, their contents intact, and malloc/free still work. */
    private static void assertStillWorks(ApfAllocator allocator, PatternedBlock... held) {
        for (PatternedBlock block : held) {
            block.verify();
        }
        HeapChecks.assertConsistent(allocator, Arrays.stream(held).mapToLong(PatternedBlock::address).toArray());
        for (long size : new long[] {0, 48, 5000, 3 * MIB}) {
            PatternedBlock fresh = allocate(allocator, size);
            fresh.verify();
            allocator.free(fresh.address());
        }
    }

    @Test
    void negativeSizesAreIllegalArguments() {
        ApfAllocator allocator = allocator(true);
        PatternedBlock small = allocate(allocator, 100);
        for (long size : new long[] {-1, -4096, Long.MIN_VALUE}) {
            String expected = "size: " + size;
            assertMessageContains(expected, assertThrows(IllegalArgumentException.class, () -> allocator.malloc(size)));
            assertMessageContains(expected,
                assertThrows(IllegalArgumentException.class, () -> allocator.alignedAlloc(16, size)));
            assertMessageContains(expected,
                assertThrows(IllegalArgumentException.class, () -> allocator.alignedAlloc(1 << 20, size)));
            assertMessageContains(expected,
                assertThrows(IllegalArgumentException.class, () -> allocator.realloc(small.address(), size)));
            assertMessageContains(expected,
                assertThrows(IllegalArgumentException.class, () -> allocator.realloc(0, size)));
            assertThrows(IllegalArgumentException.class, () -> ApfMalloc.doMalloc(size));
            assertThrows(IllegalArgumentException.class, () -> ApfMalloc.doAlignedAlloc(8, size));
            assertThrows(IllegalArgumentException.class, () -> ApfMalloc.doRealloc(0, size));
            assertThrows(IllegalArgumentException.class, () -> AutoPtr.allocate(size));
            assertThrows(IllegalArgumentException.class, () -> ApfSegmentAllocator.of(allocator).allocate(size, 8));
        }
        assertStillWorks(allocator, small);
        allocator.free(small.address());
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    @Test
    void alignmentsThatAreNotPositivePowersOfTwoAreIllegalArguments() {
        ApfAllocator allocator = allocator(true);
        long[] bad = {0, -1, -8, -(1L << 20), 3, 6, 24, 1000, 65_537, 3L << 20, Long.MIN_VALUE, Long.MAX_VALUE};
        for (long alignment : bad) {
            assertMessageContains("alignment: " + alignment,
                assertThrows(IllegalArgumentException.class, () -> allocator.alignedAlloc(alignment, 64)));
            assertThrows(IllegalArgumentException.class, () -> allocator.alignedAlloc(alignment, 0));
            assertThrows(IllegalArgumentException.class, () -> allocator.alignedAlloc(alignment, 4 * MIB));
            assertThrows(IllegalArgumentException.class, () -> ApfMalloc.doAlignedAlloc(alignment, 64));
            assertThrows(IllegalArgumentException.class,
                () -> ApfSegmentAllocator.of(allocator).allocate(64, alignment));
        }
        assertStillWorks(allocator);
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    @ParameterizedTest(name = "checked={0}")
    @ValueSource(booleans = {false, true})
    void foreignAndInteriorAddressesAreIllegalArguments(boolean checked) {
        ApfAllocator allocator = allocator(checked);
        PatternedBlock small = allocate(allocator, 100);
        PatternedBlock large = allocate(allocator, 3 * MIB);
        try (Arena arena = Arena.ofConfined()) {
            long arenaSmall = arena.allocate(64).address();
            long arenaLarge = arena.allocate(2 * MIB, 1 << 16).address();
            long[] foreign = {
                8, 4096, -8, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 48,
                arenaSmall, arenaLarge, arenaLarge + 4096,
                small.address() + 1, small.address() + 8, small.address() + 64, small.address() - 8,
                large.address() + 8, large.address() + 4096, large.address() + 64 * KIB, large.address() + MIB,
                large.address() + large.usable() - 8, large.address() - 4096,
            };
            for (long address : foreign) {
                String hex = "0x" + Long.toHexString(address);
                assertMessageContains(hex,
                    assertThrows(IllegalArgumentException.class, () -> allocator.free(address), "free(" + hex + ")"));
                assertThrows(IllegalArgumentException.class, () -> allocator.realloc(address, 16),
                    "realloc(" + hex + ", 16)");
                assertThrows(IllegalArgumentException.class, () -> allocator.realloc(address, 4 * MIB),
                    "realloc(" + hex + ", 4 MiB)");
                assertThrows(IllegalArgumentException.class, () -> allocator.usableSize(address),
                    "usableSize(" + hex + ")");
            }
            assertThrows(IllegalArgumentException.class, () -> ApfMalloc.doFree(arenaSmall));
            assertThrows(IllegalArgumentException.class, () -> ApfMalloc.doRealloc(arenaSmall, 8));
            assertThrows(IllegalArgumentException.class, () -> ApfMalloc.usableSize(arenaLarge));
        }
        assertStillWorks(allocator, small, large);
        allocator.free(small.address());
        allocator.free(large.address());
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    /**
     * A freed large allocation's mapping and page map entry are gone, so a second free finds an address the allocator
     * no longer holds: IllegalArgumentException, as documented (only a second free racing the first, which loses the
     * anchor CAS, throws IllegalStateException). Either way nothing is corrupted.
     */
    @ParameterizedTest(name = "checked={0}")
    @ValueSource(booleans = {false, true})
    void doubleFreeOfLargeAllocationIsRejected(boolean checked) {
        ApfAllocator allocator = allocator(checked);
        PatternedBlock survivor = allocate(allocator, 3 * MIB);
        long large = allocator.malloc(2 * MIB);
        assertNotEquals(0, large);
        allocator.free(large);
        assertThrows(IllegalArgumentException.class, () -> allocator.free(large),
            "a second free of a large allocation finds an address the allocator no longer holds");
        assertStillWorks(allocator, survivor);
        allocator.free(survivor.address());
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    @Test
    void doubleFreeOfSmallBlockInCheckedModeIsIllegalState() {
        ApfAllocator allocator = allocator(true);
        for (long size : new long[] {0, 8, 100, 3000, 70_000, MIB}) {
            PatternedBlock neighbour = allocate(allocator, size);
            long block = allocator.malloc(size);
            allocator.free(block);
            assertMessageContains("double free", assertThrows(IllegalStateException.class,
                () -> allocator.free(block), "double free of a " + size + " B block still in the cache"));
            allocator.flushThreadCache();
            assertThrows(IllegalStateException.class, () -> allocator.free(block),
                "double free of a " + size + " B block back on its superblock, which the neighbour keeps mapped");
            assertStillWorks(allocator, neighbour);
            allocator.free(neighbour.address());
        }
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    @Test
    void reallocOfFreedBlockInCheckedModeIsIllegalState() {
        ApfAllocator allocator = allocator(true);
        PatternedBlock neighbour = allocate(allocator, 100);
        long block = allocator.malloc(100);
        allocator.free(block);
        assertThrows(IllegalStateException.class, () -> allocator.realloc(block, 5000),
            "realloc of a freed block (to another class)");
        assertThrows(IllegalStateException.class, () -> allocator.realloc(block, 104),
            "realloc of a freed block (same class)");
        assertStillWorks(allocator, neighbour);
        allocator.free(neighbour.address());
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    @Test
    void exhaustionReturnsZeroOrThrowsOutOfMemoryAndRecovers() {
        long limit = 8 * MIB;
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(limit).checked(true).build();
        PatternedBlock first = allocate(allocator, 3 * MIB);
        PatternedBlock second = allocate(allocator, 3 * MIB);
        assertEquals(0, allocator.malloc(3 * MIB), "a third 3 MiB mapping would pass the 8 MiB limit");
        List<Long> smalls = new ArrayList<>();
        long block = allocator.malloc(64);
        while (block != 0) {
            smalls.add(block);
            assertTrue(smalls.size() <= limit / 64, "more 64 B blocks than the limit holds");
            assertTrue(allocator.stats().mappedBytes() <= limit, () -> "over the limit: " + allocator.stats());
            block = allocator.malloc(64);
        }
        assertEquals(limit, allocator.stats().mappedBytes(), "the 64 B blocks should fill the rest exactly");
        PatternedBlock lastSmall = fill(allocator, smalls.removeLast(), 64);

        assertEquals(0, allocator.malloc(0), "small, new class");
        assertEquals(0, allocator.malloc(MIB), "largest class");
        assertEquals(0, allocator.malloc(2 * MIB), "large");
        assertEquals(0, allocator.alignedAlloc(4096, 100), "aligned small");
        assertEquals(0, allocator.alignedAlloc(MIB, 10), "aligned large");
        assertEquals(0, allocator.realloc(first.address(), 4 * MIB), "realloc of a large allocation");
        assertEquals(0, allocator.realloc(lastSmall.address(), 5000), "realloc of a small block");
        String full = "allocated: " + limit;
        String cap = "limit: " + limit;
        OutOfMemoryError autoPtr = assertThrows(OutOfMemoryError.class,
            () -> AutoPtr.allocate(allocator, ValueLayout.JAVA_LONG));
        assertMessageContains(full, autoPtr);
        assertMessageContains(cap, autoPtr);
        ApfSegmentAllocator segments = ApfSegmentAllocator.of(allocator);
        OutOfMemoryError small = assertThrows(OutOfMemoryError.class, () -> segments.allocate(100));
        assertMessageContains(full, small);
        assertMessageContains(cap, small);
        assertMessageContains(cap, assertThrows(OutOfMemoryError.class, () -> segments.allocate(4 * MIB)));

        long[] live = new long[smalls.size() + 3];
        live[0] = first.address();
        live[1] = second.address();
        live[2] = lastSmall.address();
        for (int i = 0; i < smalls.size(); i++) {
            live[i + 3] = smalls.get(i);
        }
        HeapChecks.assertConsistent(allocator, live);
        first.verify();
        lastSmall.verify();

        allocator.free(first.address());
        try (AutoPtr ptr = AutoPtr.allocate(allocator, MemoryLayout.sequenceLayout(2 * MIB, ValueLayout.JAVA_BYTE))) {
            ptr.segment().fill((byte) 7);
        }
        MemorySegment segment = segments.allocate(3 * MIB);
        segments.free(segment);
        PatternedBlock third = allocate(allocator, 3 * MIB);
        assertEquals(0, allocator.malloc(3 * MIB), "full again");

        for (long small64 : smalls) {
            allocator.free(small64);
        }
        allocator.flushThreadCache();
        try (AutoPtr ptr = AutoPtr.allocate(allocator, ValueLayout.JAVA_LONG)) {
            ptr.segment().set(ValueLayout.JAVA_LONG, 0, 42);
        }
        allocator.free(second.address());
        assertStillWorks(allocator, third, lastSmall);
        allocator.free(third.address());
        allocator.free(lastSmall.address());
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    @Test
    void impossibleSizesReturnZeroWithoutException() {
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(8 * GIB).build();
        PatternedBlock held = allocate(allocator, 1000);
        AllocatorStats before = allocator.stats();
        for (long size : new long[] {Long.MAX_VALUE, 1L << 62, 1L << 47, Long.MAX_VALUE - 4095, 9 * GIB}) {
            assertEquals(0, allocator.malloc(size), "malloc(" + size + ")");
            assertEquals(0, allocator.alignedAlloc(64, size), "alignedAlloc(64, " + size + ")");
            assertEquals(0, allocator.alignedAlloc(1L << 30, size), "alignedAlloc(1 GiB, " + size + ")");
            assertEquals(0, allocator.realloc(held.address(), size), "realloc(p, " + size + ")");
            assertEquals(0, allocator.realloc(0, size), "realloc(0, " + size + ")");
            assertEquals(0, ApfMalloc.doMalloc(size), "doMalloc(" + size + ")");
            assertThrows(OutOfMemoryError.class, () -> ApfSegmentAllocator.of(allocator).allocate(size));
        }
        assertEquals(0, allocator.alignedAlloc(1L << 62, 1), "alignment 2^62");
        assertEquals(0, allocator.alignedAlloc(1L << 47, 1), "alignment 2^47, past any address space");
        assertEquals(before.mappedBytes(), allocator.stats().mappedBytes(), "failed calls must not keep memory");
        assertStillWorks(allocator, held);
        allocator.free(held.address());
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    @Test
    void allocationsOfFourGibibytesAndMoreWork() {
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(8 * GIB).checked(true).build();
        long size = 5 * GIB;
        long address = allocator.malloc(size);
        assertNotEquals(0, address, "malloc(5 GiB) under an 8 GiB limit (the mapping is MAP_NORESERVE)");
        long usable = allocator.usableSize(address);
        assertTrue(usable >= size, "usableSize " + usable);
        assertTrue(allocator.stats().largeBytes() >= size, () -> "largeBytes: " + allocator.stats());
        touchFirstAndLastPage(address, size);
        assertThrows(IllegalArgumentException.class, () -> allocator.usableSize(address + 4 * GIB),
            "an interior pointer 4 GiB in");
        assertThrows(IllegalArgumentException.class, () -> allocator.free(address + 4 * GIB));
        assertEquals(0, allocator.malloc(size), "a second 5 GiB would pass the 8 GiB limit");
        assertEquals(address, allocator.realloc(address, size - 4096), "shrinking a little stays in place");
        HeapChecks.assertConsistent(allocator, new long[] {address});
        allocator.free(address);
        assertEquals(0, allocator.stats().mappedBytes(), () -> "after free: " + allocator.stats());

        long alignment = 2 * MIB;
        long aligned = allocator.alignedAlloc(alignment, size);
        assertNotEquals(0, aligned, "alignedAlloc(2 MiB, 5 GiB)");
        assertEquals(0, aligned % alignment, "0x" + Long.toHexString(aligned));
        assertTrue(allocator.usableSize(aligned) >= size);
        touchFirstAndLastPage(aligned, size);
        allocator.free(aligned);
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    private static void touchFirstAndLastPage(long address, long size) {
        EVERYTHING.set(ValueLayout.JAVA_LONG_UNALIGNED, address, 0x1122334455667788L);
        EVERYTHING.set(ValueLayout.JAVA_LONG_UNALIGNED, address + size - 8, 0x0102030405060708L);
        assertEquals(0x1122334455667788L, EVERYTHING.get(ValueLayout.JAVA_LONG_UNALIGNED, address));
        assertEquals(0x0102030405060708L, EVERYTHING.get(ValueLayout.JAVA_LONG_UNALIGNED, address + size - 8));
    }

    @Test
    void zeroAddressesAndZeroSizes() {
        ApfAllocator allocator = allocator(true);
        AllocatorStats before = allocator.stats();
        allocator.free(0);
        ApfMalloc.doFree(0);
        assertEquals(0, allocator.usableSize(0));
        assertEquals(before, allocator.stats(), "free(0) must do nothing");
        List<PatternedBlock> held = new ArrayList<>();
        for (long size : new long[] {0, 0, 1, 100, 70_000, 3 * MIB}) {
            long address = allocator.realloc(0, size);
            assertNotEquals(0, address, "realloc(0, " + size + ") should allocate");
            held.add(fill(allocator, address, size));
        }
        assertNotEquals(held.get(0).address(), held.get(1).address(), "two zero-size allocations must differ");
        long viaFacade = ApfMalloc.doRealloc(0, 64);
        assertNotEquals(0, viaFacade);
        assertTrue(ApfMalloc.usableSize(viaFacade) >= 64);
        ApfMalloc.doFree(viaFacade);
        assertStillWorks(allocator, held.toArray(PatternedBlock[]::new));
        held.forEach(block -> allocator.free(block.address()));
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    @ParameterizedTest(name = "checked={0}")
    @ValueSource(booleans = {false, true})
    void reallocKeepsTheSmallerOfOldUsableAndNewSize(boolean checked) {
        ApfAllocator allocator = allocator(checked);
        long[] sizes = {
            0, 8, 9, 24, 100, 112, 113, 1000, 4096, 4097, 70_000, MIB, MIB + 1, 3 * MIB, 2 * MIB, 1536 * KIB,
            MIB + 1, 500 * KIB, 7, 0, 3 * MIB, 40, 2 * MIB + 5, 16 * KIB, 0,
        };
        PatternedBlock block = allocate(allocator, 1);
        for (int i = 0; i < sizes.length; i++) {
            long size = sizes[i];
            long moved = allocator.realloc(block.address(), size);
            assertNotEquals(0, moved, "realloc to " + size);
            block.verifyCopy(moved, Math.min(block.usable(), size));
            HeapChecks.assertConsistent(allocator, new long[] {moved});
            block = fill(allocator, moved, size);
        }
        allocator.free(block.address());

        PatternedBlock small = allocate(allocator, 100);
        assertEquals(small.address(), allocator.realloc(small.address(), 112), "112 B is still the 112 B class");
        assertEquals(small.address(), allocator.realloc(small.address(), 97), "97 B is still the 112 B class");
        PatternedBlock large = allocate(allocator, 3 * MIB);
        assertEquals(large.address(), allocator.realloc(large.address(), 2 * MIB),
            "a large allocation shrinks in place down to half its mapping");
        assertEquals(large.address(), allocator.realloc(large.address(), 3 * MIB), "and grows back in place");
        small.verify();
        large.verify();
        long moved = allocator.realloc(large.address(), MIB + 1);
        assertNotEquals(large.address(), moved, "below half the mapping a large allocation moves");
        large.verifyCopy(moved, MIB + 1);
        PatternedBlock movedLarge = fill(allocator, moved, MIB + 1);
        assertStillWorks(allocator, small, movedLarge);
        allocator.free(small.address());
        allocator.free(moved);
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    @Test
    void alignedAllocationsForEveryPowerOfTwoUpToTwoMebibytes() {
        ApfAllocator allocator = ApfAllocator.builder().maxMemory(GIB).checked(true).build();
        ApfSegmentAllocator segments = ApfSegmentAllocator.of(allocator);
        for (int shift = 0; shift <= 21; shift++) {
            long alignment = 1L << shift;
            List<PatternedBlock> held = new ArrayList<>();
            long[] sizes = {0, 0, 1, alignment / 2, alignment - 1, alignment, alignment + 1, 3 * alignment, 100};
            for (long size : sizes) {
                long address = allocator.alignedAlloc(alignment, size);
                assertNotEquals(0, address, "alignedAlloc(" + alignment + ", " + size + ")");
                assertEquals(0, address & (alignment - 1),
                    "alignedAlloc(" + alignment + ", " + size + ") = 0x" + Long.toHexString(address));
                held.add(fill(allocator, address, size));
            }
            assertNoOverlap(held, alignment);
            held.forEach(PatternedBlock::verify);
            HeapChecks.assertConsistent(allocator, held.stream().mapToLong(PatternedBlock::address).toArray());

            MemorySegment segment = segments.allocate(alignment + 3, alignment);
            assertEquals(0, segment.address() & (alignment - 1), "segment allocator, alignment " + alignment);
            assertEquals(alignment + 3, segment.byteSize());
            segment.fill((byte) 1);
            segments.free(segment);
            MemoryLayout layout = MemoryLayout.sequenceLayout(alignment, ValueLayout.JAVA_BYTE)
                .withByteAlignment(alignment);
            try (AutoPtr ptr = AutoPtr.allocate(allocator, layout)) {
                assertEquals(0, ptr.address() & (alignment - 1), "AutoPtr, alignment " + alignment);
                ptr.segment().fill((byte) 2);
            }
            long viaFacade = ApfMalloc.doAlignedAlloc(alignment, 24);
            assertEquals(0, viaFacade & (alignment - 1), "doAlignedAlloc, alignment " + alignment);
            ApfMalloc.doFree(viaFacade);

            held.forEach(block -> allocator.free(block.address()));
        }
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    @Test
    void mallocAlignsToEightAndMultiplesOfSixteenToSixteen() {
        ApfAllocator allocator = allocator(false);
        List<PatternedBlock> held = new ArrayList<>();
        for (long size = 0; size <= 2 * KIB; size++) {
            held.add(allocate(allocator, size));
        }
        for (long size = 4 * KIB; size <= 2 * MIB; size += size / 3 + 8) {
            held.add(allocate(allocator, size));
        }
        for (PatternedBlock block : held) {
            long address = block.address();
            assertEquals(0, address % 8, () -> "0x" + Long.toHexString(address) + " is not 8-aligned");
        }
        for (long size = 16; size <= 2 * KIB; size += 16) {
            long address = held.get((int) size).address();
            long requested = size;
            assertEquals(0, address % 16, () -> "malloc(" + requested + ") = 0x" + Long.toHexString(address));
        }
        assertNoOverlap(held, 1);
        held.forEach(PatternedBlock::verify);
        held.forEach(block -> allocator.free(block.address()));
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    @Test
    void autoPtrAndSegmentAllocatorMisuse() throws Exception {
        ApfAllocator allocator = allocator(true);
        AutoPtr ptr = AutoPtr.allocate(allocator, MemoryLayout.sequenceLayout(100, ValueLayout.JAVA_BYTE));
        MemorySegment segment = ptr.segment();
        assertThrows(IndexOutOfBoundsException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 100),
            "the segment is bounds-checked to the requested size");

        Throwable[] fromOtherThread = new Throwable[1];
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                ptr.close();
            } catch (Throwable t) {
                fromOtherThread[0] = t;
            }
        });
        other.join();
        assertTrue(fromOtherThread[0] instanceof WrongThreadException,
            "closing from another thread must fail: " + fromOtherThread[0]);
        segment.set(ValueLayout.JAVA_BYTE, 99, (byte) 1);
        HeapChecks.assertConsistent(allocator, new long[] {ptr.address()});

        ptr.close();
        ptr.close();
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 0),
            "access after close");
        ApfSegmentAllocator segments = ApfSegmentAllocator.of(allocator);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment foreign = arena.allocate(64);
            assertThrows(IllegalArgumentException.class, () -> segments.free(foreign));
        }
        MemorySegment own = segments.allocate(64);
        segments.free(own);
        assertThrows(IllegalStateException.class, () -> segments.free(own), "double free through the segments");
        assertStillWorks(allocator);
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    @Test
    void allocateValueChecksTheValueBeforeAllocating() {
        long withUsers = ApfMalloc.allocator().audit().allocationsWithUsers();
        MemorySegment twoBytes = MemorySegment.ofArray(new byte[2]);
        assertMessageContains("value: 2 bytes (expected: at least the 8 of",
            assertThrows(IllegalArgumentException.class,
                () -> ApfMalloc.allocateValue(ValueLayout.JAVA_LONG, twoBytes)));
        assertEquals(withUsers, ApfMalloc.allocator().audit().allocationsWithUsers(), "no block is lost");
        long address = ApfMalloc.allocateValue(ValueLayout.JAVA_LONG, MemorySegment.ofArray(new long[] {42}));
        assertEquals(42, ApfMalloc.segment(address, 8).get(ValueLayout.JAVA_LONG, 0));
        ApfMalloc.doFree(address);
        assertEquals(withUsers, ApfMalloc.allocator().audit().allocationsWithUsers());
    }

    private static void assertNoOverlap(List<PatternedBlock> held, long alignment) {
        List<PatternedBlock> sorted = new ArrayList<>(held);
        sorted.sort((a, b) -> Long.compareUnsigned(a.address(), b.address()));
        for (int i = 1; i < sorted.size(); i++) {
            PatternedBlock before = sorted.get(i - 1);
            PatternedBlock after = sorted.get(i);
            assertTrue(before.address() + Math.max(1, before.usable()) <= after.address(), String.format(
                "alignment %d: 0x%x (+%d) and 0x%x overlap", alignment, before.address(), before.usable(),
                after.address()));
        }
    }

    private static void assertMessageContains(String expected, Throwable thrown) {
        assertTrue(String.valueOf(thrown.getMessage()).contains(expected),
            () -> "message \"" + thrown.getMessage() + "\" should mention \"" + expected + "\"");
    }
}
