package io.apfmalloc.core.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link OsMemory}: the {@link MemorySource} contract over real {@code mmap}'d memory, and what its reservations
 * promise, as the kernel reports it: {@code mincore(2)} for which pages are resident (backed by memory) and
 * {@code /proc/self/smaps} for a mapping's flags. A reservation is {@code MAP_NORESERVE} with transparent huge pages
 * off and costs nothing until touched; touching a page commits that page alone; a discard gives pages back, which then
 * read zero, without unmapping them; an unmap takes the range away.
 */
class OsMemoryTest extends MemorySourceContractTest {
    private static final long RESERVATION = 1L << 30;
    private static final long ALIGNMENT = 4 * MIB;
    private static final MethodHandle MINCORE = Linker.nativeLinker().downcallHandle(
        Linker.nativeLinker().defaultLookup().find("mincore").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));

    @Override
    MemorySource newSource() {
        return OsMemory.INSTANCE;
    }

    @Override
    MemorySegment bytes(MemorySource source, long address, long size) {
        return RawMemory.EVERYTHING.asSlice(address, size);
    }

    @Test
    void aReservationIsAddressSpaceThatCostsNothingUntilTouched() throws IOException {
        long address = reserve(RESERVATION);
        try {
            assertEquals(0, address & (ALIGNMENT - 1), () -> "0x" + Long.toHexString(address) + " misaligned");
            Set<String> flags = vmFlags(address);
            assertTrue(flags.contains("nr"), () -> "not MAP_NORESERVE (smaps VmFlags " + flags + ")");
            assertTrue(flags.contains("nh"), () -> "transparent huge pages not off (smaps VmFlags " + flags + ")");
            assertEquals(0, residentPages(address, RESERVATION), "pages of an untouched reservation");
        } finally {
            OsMemory.INSTANCE.unmap(address, RESERVATION);
        }
    }

    @Test
    void touchingAReservedPageCommitsThatPageAlone() {
        long address = reserve(RESERVATION);
        try {
            long page = address + 3 * MIB + 5 * PAGE;
            RawMemory.putInt(page + 100, 0x5EED);
            assertEquals(1, residentPages(address, RESERVATION), "one 4 KiB page, not a 2 MiB huge page");
            assertEquals(1, residentPages(page, PAGE), "the page touched");
            assertEquals(0x5EED, RawMemory.getInt(page + 100));
        } finally {
            OsMemory.INSTANCE.unmap(address, RESERVATION);
        }
    }

    @Test
    void aDiscardGivesPagesBackAndTheyReadZeroYetStayMapped() {
        long size = 16 * PAGE;
        long address = reserve(size);
        try {
            MemorySegment bytes = bytes(OsMemory.INSTANCE, address, size);
            bytes.fill((byte) 0x3C);
            assertEquals(16, residentPages(address, size));
            long discarded = address + 4 * PAGE;
            OsMemory.INSTANCE.discard(discarded, 8 * PAGE);
            assertEquals(0, residentPages(discarded, 8 * PAGE), "discarded pages still resident");
            assertEquals(8, residentPages(address, size), "the pages around the discard stay");
            assertAllBytes(bytes.asSlice(0, 4 * PAGE), (byte) 0x3C, "before the discard");
            assertAllBytes(bytes.asSlice(4 * PAGE, 8 * PAGE), (byte) 0, "the discarded pages");
            assertAllBytes(bytes.asSlice(12 * PAGE, 4 * PAGE), (byte) 0x3C, "after the discard");
            bytes.asSlice(4 * PAGE, 8 * PAGE).fill((byte) 0x77);
            assertAllBytes(bytes.asSlice(4 * PAGE, 8 * PAGE), (byte) 0x77, "discarded pages, written again");
        } finally {
            OsMemory.INSTANCE.unmap(address, size);
        }
    }

    @Test
    void anUnmapTakesTheRangeAway() {
        long size = 64 << 10;
        long address = map(size, size);
        RawMemory.putInt(address, 1);
        assertTrue(isMapped(address, size));
        unmap(address);
        assertFalse(isMapped(address, size), "the range is still mapped");
    }

    @Test
    void aReservationTheKernelRefusesIsZero() {
        assertEquals(0, OsMemory.INSTANCE.reserve(IMPOSSIBLE, PAGE));
    }

    private static long reserve(long size) {
        long address = OsMemory.INSTANCE.reserve(size, ALIGNMENT);
        assertNotEquals(0, address, () -> "reserve(" + size + ") refused");
        return address;
    }

    /** Returns how many pages of {@code [address, address + size)} are resident; the range must be mapped. */
    private static int residentPages(long address, long size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pages = arena.allocate(size / PAGE);
            assertEquals(0, mincore(address, size, pages), "mincore failed: the range is not mapped");
            int resident = 0;
            for (long i = 0; i < pages.byteSize(); i++) {
                resident += pages.get(ValueLayout.JAVA_BYTE, i) & 1;
            }
            return resident;
        }
    }

    /** Returns whether every page of {@code [address, address + size)} is mapped: mincore fails (ENOMEM) if not. */
    private static boolean isMapped(long address, long size) {
        try (Arena arena = Arena.ofConfined()) {
            return mincore(address, size, arena.allocate(size / PAGE)) == 0;
        }
    }

    private static int mincore(long address, long size, MemorySegment pages) {
        try {
            return (int) MINCORE.invokeExact(address, size, pages);
        } catch (Throwable t) {
            throw new AssertionError("mincore downcall failed", t);
        }
    }

    /** Returns the {@code VmFlags} of the mapping holding {@code address}, from {@code /proc/self/smaps}. */
    private static Set<String> vmFlags(long address) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        boolean inside = false;
        for (String line : lines) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && isHex(line.substring(0, dash))) {
                long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                inside = start <= address && address < end;
            } else if (inside && line.startsWith("VmFlags:")) {
                return Set.of(line.substring("VmFlags:".length()).trim().split("\\s+"));
            }
        }
        throw new AssertionError("no mapping holds 0x" + Long.toHexString(address) + " in /proc/self/smaps");
    }

    private static boolean isHex(String text) {
        return text.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
}
