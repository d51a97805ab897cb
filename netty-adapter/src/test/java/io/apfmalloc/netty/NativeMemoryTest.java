package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * A direct buffer's NIO views, sliced from cached 1 GiB windows, start at exactly the address asked for and span
 * exactly the length asked for, wherever the view lies in its window, across window boundaries, for windows that
 * share a cache slot, and for views too long for a window. Only addresses are compared: no memory is touched.
 */
class NativeMemoryTest {
    private static final long GIB = 1L << 30;

    @Test
    void viewsStartWhereAskedAndAreAsLongAsAsked() {
        long[] addresses = {5 * GIB, 5 * GIB + 4096, 6 * GIB - 16, 6 * GIB - 1, (5 + 64) * GIB + 64, 7 * GIB + 123};
        int[] lengths = {0, 1, 64, 65_536, (int) GIB - 8};
        for (int round = 0; round < 2; round++) {
            for (long address : addresses) {
                for (int length : lengths) {
                    assertView(address, length);
                }
            }
        }
    }

    @Test
    void viewsTooLongForAWindowAreMadeDirectly() {
        assertView(5 * GIB + 12_345, (int) GIB);
        assertView(5 * GIB, Integer.MAX_VALUE - 8);
    }

    private static void assertView(long address, int length) {
        ByteBuffer view = NativeMemory.byteBuffer(address, length);
        assertTrue(view.isDirect());
        assertEquals(0, view.position());
        assertEquals(length, view.limit());
        assertEquals(length, view.capacity());
        assertEquals(ByteOrder.BIG_ENDIAN, view.order());
        assertEquals(address, MemorySegment.ofBuffer(view).address(), () -> "view of 0x" + Long.toHexString(address)
            + ", " + length + " bytes");
    }
}
