package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Event loops reuse the shells of released buffers, within a bound; other threads never keep shells. */
class ShellRecyclingTest {
    private final ApfByteBufAllocator allocator = new ApfByteBufAllocator(true);

    @Test
    void anEventLoopReusesAReleasedShellAsAFreshBuffer() throws InterruptedException {
        onEventLoop(() -> {
            ByteBuf first = allocator.directBuffer(300, 1000);
            first.writeBytes(new byte[200]).readerIndex(50).markReaderIndex().markWriterIndex();
            ByteBuf shell = shell(first);
            assertTrue(first.release());
            assertThrows(IllegalReferenceCountException.class, () -> first.getByte(0), "released until reused");

            ByteBuf again = allocator.directBuffer(5000);
            assertSame(shell, shell(again));
            assertEquals(1, again.refCnt());
            assertEquals(5000, again.capacity());
            assertEquals(Integer.MAX_VALUE, again.maxCapacity());
            assertEquals(0, again.readerIndex());
            assertEquals(0, again.writerIndex());
            again.resetReaderIndex().resetWriterIndex();
            assertEquals(0, again.readerIndex() + again.writerIndex(), "marks at 0");
            assertEquals(5120, again.maxFastWritableBytes(), "the 5 KiB class of the new block");
            again.writeLong(42).setByte(4999, 7);
            assertEquals(42, again.readLong());
            assertEquals(5000, allocator.metric().liveDirectBytes());
            assertTrue(again.release());

            ByteBuf heap = allocator.heapBuffer(64);
            ByteBuf heapShell = shell(heap);
            heap.release();
            ByteBuf heapAgain = allocator.heapBuffer(64);
            assertSame(heapShell, shell(heapAgain));
            assertEquals(64, heapAgain.writeBytes(new byte[64]).readableBytes());
            heapAgain.release();
            assertEquals(0, allocator.metric().liveDirectBuffers() + allocator.metric().liveHeapBuffers());
        });
    }

    /**
     * A read loop allocates, reads into the buffer through its internal NIO view and releases it, over and over: the
     * shell comes back with the same block, and so with the same view (the per-read garbage NIO transports paid).
     * A move to another block, or a different block on reuse, gets a view of its own, which sees the new memory.
     */
    @Test
    void theInternalViewLivesAsLongAsTheBlock() throws InterruptedException {
        onEventLoop(() -> {
            for (boolean direct : new boolean[] {true, false}) {
                ByteBuf first = direct ? allocator.directBuffer(1024) : allocator.heapBuffer(1024);
                ByteBuffer view = first.internalNioBuffer(0, 1024);
                long block = shell(first).hasMemoryAddress() ? first.memoryAddress() : 0;
                first.release();
                ByteBuf again = direct ? allocator.directBuffer(1000) : allocator.heapBuffer(1000);
                assertEquals(block, shell(again).hasMemoryAddress() ? again.memoryAddress() : 0, "the same block");
                ByteBuffer reused = again.internalNioBuffer(8, 100);
                assertSame(view, reused, "the same block keeps its view across the shell's reuse");
                assertEquals(8, reused.position());
                assertEquals(108, reused.limit());
                reused.put((byte) 42);
                assertEquals(42, again.getByte(8), "the view writes the buffer");

                again.capacity(600);
                assertSame(view, again.internalNioBuffer(0, 600), "shrinking within the block keeps it");
                again.capacity(64 * 1024);
                ByteBuffer moved = again.internalNioBuffer(0, 64 * 1024);
                assertNotSame(view, moved, "a new block, a new view");
                moved.put(10, (byte) 7);
                assertEquals(7, again.getByte(10));
                assertEquals(42, again.getByte(8), "the contents moved with the buffer");
                again.release();
            }
        });
    }

    @Test
    void anEventLoopKeepsABoundedNumberOfShells() throws InterruptedException {
        int released = 3 * BlockSource.SHELLS_PER_EVENT_LOOP;
        onEventLoop(() -> {
            Map<ByteBuf, Boolean> old = new IdentityHashMap<>();
            List<ByteBuf> buffers = new ArrayList<>();
            for (int i = 0; i < released; i++) {
                buffers.add(allocator.directBuffer(64));
            }
            buffers.forEach(buffer -> old.put(shell(buffer), true));
            buffers.forEach(ByteBuf::release);
            buffers.clear();
            int reused = 0;
            for (int i = 0; i < released; i++) {
                ByteBuf buffer = allocator.directBuffer(64);
                buffers.add(buffer);
                reused += old.containsKey(shell(buffer)) ? 1 : 0;
            }
            assertEquals(BlockSource.SHELLS_PER_EVENT_LOOP, reused);
            buffers.forEach(ByteBuf::release);
        });
    }

    @Test
    void otherThreadsKeepNoShells() {
        ByteBuf first = allocator.directBuffer(64);
        ByteBuf shell = shell(first);
        first.release();
        ByteBuf second = allocator.directBuffer(64);
        assertNotSame(shell, shell(second));
        second.release();
    }

    @Test
    void aShellReleasedOnAnotherLoopServesThatLoop() throws InterruptedException {
        AtomicReference<ByteBuf> handedOver = new AtomicReference<>();
        onEventLoop(() -> handedOver.set(allocator.directBuffer(128)));
        ByteBuf shell = shell(handedOver.get());
        onEventLoop(() -> {
            handedOver.get().release();
            ByteBuf buffer = allocator.directBuffer(128);
            assertSame(shell, shell(buffer));
            buffer.release();
        });
        assertEquals(0, allocator.metric().liveDirectBuffers());
        assertEquals(0, allocator.metric().liveDirectBytes());
    }

    /** Returns our buffer under Netty's leak-detection wrapper, if the detector sampled it. */
    private static ByteBuf shell(ByteBuf buffer) {
        ByteBuf unwrapped = buffer.unwrap();
        return unwrapped != null ? unwrapped : buffer;
    }

    private static void onEventLoop(Runnable task) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread loop = new FastThreadLocalThread(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "apf-shell-loop");
        loop.start();
        loop.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
