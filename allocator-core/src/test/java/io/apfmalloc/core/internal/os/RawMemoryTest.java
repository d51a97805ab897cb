package io.apfmalloc.core.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RawMemory} over two pages {@code mmap}'d from the OS: shorts and ints at any address, aligned or not, in
 * native order; copies and clears of exactly the bytes asked for, at odd offsets and lengths.
 */
class RawMemoryTest {
    private static final long PAGE = OsMemory.PAGE_SIZE;
    private static final ValueLayout.OfShort NATIVE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt NATIVE_INT = ValueLayout.JAVA_INT_UNALIGNED;

    private long address;
    private MemorySegment bytes;

    @BeforeEach
    void mapTwoPages() {
        address = OsMemory.INSTANCE.map(2 * PAGE, PAGE);
        assertNotEquals(0, address, "no memory for the test");
        bytes = MemorySegment.ofAddress(address).reinterpret(2 * PAGE);
    }

    @AfterEach
    void unmap() {
        OsMemory.INSTANCE.unmap(address, 2 * PAGE);
    }

    @Test
    void everythingIsTheWholeAddressSpace() {
        assertEquals(0, RawMemory.EVERYTHING.address());
        assertEquals(Long.MAX_VALUE, RawMemory.EVERYTHING.byteSize());
    }

    @Test
    void shortsAndIntsAtAnyAddressInNativeOrder() {
        long[] offsets = {0, 1, 3, PAGE - 2, PAGE - 1, 2 * PAGE - 4};
        for (long offset : offsets) {
            bytes.fill((byte) 0xEE);
            RawMemory.putShort(address + offset, (short) 0x8421);
            assertEquals((short) 0x8421, RawMemory.getShort(address + offset));
            assertEquals((short) 0x8421, bytes.get(NATIVE_SHORT, offset), "at offset " + offset);
            assertUntouchedOutside(offset, Short.BYTES);

            bytes.fill((byte) 0xEE);
            RawMemory.putInt(address + offset, 0x8765_4321);
            assertEquals(0x8765_4321, RawMemory.getInt(address + offset));
            assertEquals(0x8765_4321, bytes.get(NATIVE_INT, offset), "at offset " + offset);
            assertUntouchedOutside(offset, Integer.BYTES);
        }
    }

    @Test
    void copyCopiesExactlyTheBytesAsked() {
        for (long i = 0; i < PAGE; i++) {
            bytes.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + 7));
        }
        bytes.asSlice(PAGE, PAGE).fill((byte) 0xEE);
        long from = 5;
        long to = PAGE + 11;
        long length = 1_003;
        RawMemory.copy(address + from, address + to, length);
        for (long i = 0; i < PAGE; i++) {
            byte expected = i >= to - PAGE && i < to - PAGE + length
                ? (byte) ((from + i - (to - PAGE)) * 31 + 7) : (byte) 0xEE;
            assertEquals(expected, bytes.get(ValueLayout.JAVA_BYTE, PAGE + i), "target byte " + i);
        }
    }

    @Test
    void clearZerosExactlyTheBytesAsked() {
        bytes.fill((byte) 0xEE);
        long from = PAGE - 7;
        long length = 333;
        RawMemory.clear(address + from, length);
        for (long i = 0; i < bytes.byteSize(); i++) {
            byte expected = i >= from && i < from + length ? 0 : (byte) 0xEE;
            assertEquals(expected, bytes.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
        }
    }

    /** Asserts that every byte but the {@code length} from {@code offset} still reads 0xEE. */
    private void assertUntouchedOutside(long offset, int length) {
        for (long i = 0; i < bytes.byteSize(); i++) {
            if (i < offset || i >= offset + length) {
                assertEquals((byte) 0xEE, bytes.get(ValueLayout.JAVA_BYTE, i), "byte " + i + " touched");
            }
        }
    }
}
