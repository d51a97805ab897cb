package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.apfmalloc.core.testing.SequenceShrinker;
import io.apfmalloc.netty.BufferCommand.Allocate;
import io.apfmalloc.netty.BufferCommand.Capacity;
import io.apfmalloc.netty.BufferCommand.Copy;
import io.apfmalloc.netty.BufferCommand.DiscardReadBytes;
import io.apfmalloc.netty.BufferCommand.Duplicate;
import io.apfmalloc.netty.BufferCommand.EnsureWritable;
import io.apfmalloc.netty.BufferCommand.Kind;
import io.apfmalloc.netty.BufferCommand.Read;
import io.apfmalloc.netty.BufferCommand.ReadNumber;
import io.apfmalloc.netty.BufferCommand.Release;
import io.apfmalloc.netty.BufferCommand.Retain;
import io.apfmalloc.netty.BufferCommand.SetBytes;
import io.apfmalloc.netty.BufferCommand.SetIndex;
import io.apfmalloc.netty.BufferCommand.Slice;
import io.apfmalloc.netty.BufferCommand.Where;
import io.apfmalloc.netty.BufferCommand.Write;
import io.apfmalloc.netty.BufferCommand.WriteNumber;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A model-based test of the adapter's buffers. {@link #run} replays a sequence of {@link BufferCommand}s on a fresh
 * system, an {@link ApfByteBufAllocator} in checked mode with an event loop and a plain thread of its own, one command
 * at a time (so a sequence replays exactly), and keeps a model of what each buffer must hold: its bytes, reader and
 * writer index, capacity, maximum capacity and reference count, and its block's usable size (the adapter's documented
 * rule: grow in place up to it, shrink in place down to half of it, else move). After each command every live buffer
 * is checked against the model (indices, capacities, {@code maxFastWritableBytes}, reference count, and the readable
 * bytes of the buffers the command touched), as are the allocator's live counts; a block that moved must not overlap
 * another; a buffer whose last reference went must fail every access with {@link IllegalReferenceCountException}, as
 * must its views, and a second release too. At the end every byte is compared, everything is released, the audit
 * must find the allocator consistent with no live buffer, and once the event loop has ended a trim must give all
 * memory back.
 *
 * <p>Views share their root's block: a slice is a window of fixed size, a duplicate sees the whole root, and both
 * share the root's reference count (a retained view holds one reference of it). A capacity change of the root
 * invalidates its views in Netty, so the model forgets them first (a retained view's reference stays counted on the
 * root and is released at the end). Bytes never written (fresh or grown memory) are not compared.
 *
 * <p>{@link #assertPasses} runs a sequence and, if it fails, shrinks it ({@link SequenceShrinker}, a fresh system per
 * replay) and reports the smallest failing sequence, one command per line.
 */
final class BufferModel implements AutoCloseable {
    /** Whether {@code buffer()} returns direct buffers: no, so that BUFFER is a heap kind and IO a direct one. */
    private static final boolean PREFER_DIRECT = false;
    /** The most bytes of blocks a sequence keeps live; commands that would need more are skipped, in every replay. */
    private static final long BUDGET = 32L << 20;
    /** The most replays one shrink spends. */
    private static final int MAX_REPLAYS = 1_500;

    private final ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().preferDirect(PREFER_DIRECT)
        .checked(true).build();
    private final Operations operations;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
        new DefaultThreadFactory("apf-model-loop", true), NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final ExecutorService plainThread = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "apf-model-plain");
        thread.setDaemon(true);
        return thread;
    });
    /** Above this size a heap buffer holds an array of its own, exactly as large as asked for. */
    private final long heapBlockLimit = allocator.heapCore().maxAllocationSize();
    /** The buffers the commands can name, in order of creation. */
    private final List<Handle> handles = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();
    private long budgetUsed;
    private int nextId;

    private BufferModel(Operations operations) {
        this.operations = operations;
    }

    /**
     * The buffer operations the model drives, each as Netty spells it; a calibration test plants a bug in one to
     * show the model catches it.
     */
    interface Operations {
        /** Netty's own operations, with nothing planted. */
        Operations NETTY = new Operations() {
        };

        /** Allocates through the allocator method of {@code kind}; {@code maxCapacity} 0 means the default. */
        default ByteBuf allocate(ApfByteBufAllocator allocator, Kind kind, int capacity, int maxCapacity) {
            boolean bounded = maxCapacity != 0;
            return switch (kind) {
                case BUFFER -> bounded ? allocator.buffer(capacity, maxCapacity) : allocator.buffer(capacity);
                case DIRECT -> bounded ? allocator.directBuffer(capacity, maxCapacity)
                    : allocator.directBuffer(capacity);
                case HEAP -> bounded ? allocator.heapBuffer(capacity, maxCapacity) : allocator.heapBuffer(capacity);
                case IO -> bounded ? allocator.ioBuffer(capacity, maxCapacity) : allocator.ioBuffer(capacity);
            };
        }

        /** Returns a slice of {@code length} bytes at {@code index}, retained or not. */
        default ByteBuf slice(ByteBuf buffer, int index, int length, boolean retained) {
            return retained ? buffer.retainedSlice(index, length) : buffer.slice(index, length);
        }

        /** Releases one reference; returns whether it was the last. */
        default boolean release(ByteBuf buffer) {
            return buffer.release();
        }
    }

    /** A sequence shrunk: the smallest failing sequence found, its failure, and the replays it took. */
    record Shrunk(List<BufferCommand> commands, Throwable failure, int replays) {
        /** Returns the commands one per line, indented. */
        String listing() {
            return commands.stream().map(command -> "  " + command).collect(Collectors.joining("\n"));
        }
    }

    /**
     * Replays {@code commands} on a fresh system and checks it against the model throughout and at the end.
     *
     * @throws AssertionError naming the failing step and command, with what was wrong as its cause
     */
    static void run(List<BufferCommand> commands, Operations operations) {
        try (BufferModel model = new BufferModel(operations)) {
            model.runAll(commands);
        }
    }

    /** Returns how a replay of {@code commands} fails, or null if it passes. */
    static Throwable failureOf(List<BufferCommand> commands, Operations operations) {
        try {
            run(commands, operations);
            return null;
        } catch (Throwable failure) {
            return failure;
        }
    }

    /** Shrinks a failing sequence to a 1-minimal one, replaying each candidate on a fresh system. */
    static Shrunk shrink(List<BufferCommand> failing, Operations operations) {
        SequenceShrinker<BufferCommand> shrinker = new SequenceShrinker<>(
            candidate -> failureOf(candidate, operations) != null, BufferCommand::simpler, MAX_REPLAYS);
        List<BufferCommand> minimal = shrinker.shrink(failing);
        return new Shrunk(minimal, failureOf(minimal, operations), shrinker.runs());
    }

    /**
     * Replays {@code commands}; if they fail, shrinks them and throws an error listing the smallest failing
     * sequence, with its failure as the cause and the original failure suppressed.
     */
    static void assertPasses(List<BufferCommand> commands) {
        Throwable failure = failureOf(commands, Operations.NETTY);
        if (failure == null) {
            return;
        }
        Shrunk shrunk = shrink(commands, Operations.NETTY);
        AssertionError error = new AssertionError("a sequence of " + commands.size() + " commands fails: " + failure
            + "\nshrunk in " + shrunk.replays() + " replays to " + shrunk.commands().size() + " commands:\n"
            + shrunk.listing() + "\nwhich fail with: " + shrunk.failure(), shrunk.failure());
        error.addSuppressed(failure);
        throw error;
    }

    private void runAll(List<BufferCommand> commands) {
        for (int step = 0; step < commands.size(); step++) {
            BufferCommand command = commands.get(step);
            try {
                Block touched = execute(command);
                checkAll(touched);
            } catch (Throwable failure) {
                throw new AssertionError("step " + step + ", " + command + ": " + failure, failure);
            }
        }
        try {
            finish();
        } catch (Throwable failure) {
            throw new AssertionError("after the last step: " + failure, failure);
        }
    }

    /** Runs one command on the real buffers and the model; returns the block it touched, or null. */
    private Block execute(BufferCommand command) throws Exception {
        if (!(command instanceof Allocate) && handles.isEmpty()) {
            return null;
        }
        Handle handle = command instanceof Allocate ? null
            : handles.get(Math.floorMod(command.target(), handles.size()));
        return switch (command) {
            case Allocate allocate -> allocate(allocate);
            case Write write -> write(handle, bytes(write.seed(), write.length()), write.length(),
                handle.buffer::writeBytes);
            case WriteNumber number -> write(handle, numberBytes(number.value(), number.wide()),
                number.wide() ? Long.BYTES : Integer.BYTES, ignored -> number.wide()
                    ? handle.buffer.writeLong(number.value()) : handle.buffer.writeInt((int) number.value()));
            case SetBytes set -> setBytes(handle, set);
            case Read read -> read(handle, read.length());
            case ReadNumber number -> readNumber(handle, number.wide());
            case Capacity capacity -> capacity(handle.block, capacity);
            case EnsureWritable ensure -> write(handle, new byte[0], ensure.bytes(),
                ignored -> handle.buffer.ensureWritable(ensure.bytes()));
            case DiscardReadBytes ignored -> discardReadBytes(handle);
            case SetIndex setIndex -> setIndex(handle, setIndex);
            case Slice slice -> slice(handle, slice);
            case Duplicate duplicate -> duplicate(handle, duplicate.retained());
            case Copy ignored -> copy(handle);
            case Retain ignored -> retain(handle);
            case Release release -> release(handle, release.where());
        };
    }

    private Block allocate(Allocate command) throws Exception {
        boolean direct = command.kind() != Kind.HEAP && (command.kind() != Kind.BUFFER || PREFER_DIRECT);
        int maxCapacity = command.maxCapacity() == 0 ? Integer.MAX_VALUE : command.maxCapacity();
        int usable = usableSize(direct, command.capacity());
        if (budgetUsed + usable > BUDGET) {
            return null;
        }
        ByteBuf buffer = on(command.where(), () -> operations.allocate(allocator, command.kind(),
            command.capacity(), command.maxCapacity()));
        Block block = new Block(direct, command.capacity(), maxCapacity, usable);
        adopt(block, buffer, 0);
        return block;
    }

    /** What a write of some length does to a buffer. */
    private enum WritePlan { FITS, GROWS, FAILS, SKIPPED }

    /**
     * Makes {@code call} ensure {@code writable} writable bytes and write {@code bytes} ({@link Write},
     * {@link WriteNumber}; none for {@link EnsureWritable}) at the writer index. A root grows as
     * {@code ensureWritable} says (into its block's room, else to the allocator's next capacity); a slice cannot
     * grow; a duplicate would grow its root under the model's feet, so such a command is skipped; past the maximum
     * capacity the call must fail and change nothing.
     */
    private Block write(Handle handle, byte[] bytes, int writable, WriteCall call) throws Exception {
        Block block = handle.block;
        WritePlan plan = writable <= handle.writableBytes() ? WritePlan.FITS
            : writable > handle.maxCapacity() - handle.writer ? WritePlan.FAILS
            : handle.view == View.ROOT ? WritePlan.GROWS : WritePlan.SKIPPED;
        switch (plan) {
            case SKIPPED -> {
                return null;
            }
            case FAILS -> {
                assertThrows(IndexOutOfBoundsException.class, () -> call.write(bytes));
                return block;
            }
            case GROWS -> {
                int fastWritable = Math.min(block.usable, block.maxCapacity) - handle.writer;
                int newCapacity = fastWritable >= writable ? handle.writer + fastWritable
                    : allocator.calculateNewCapacity(handle.writer + writable, block.maxCapacity);
                if (!resize(block, newCapacity, Where.CALLER, () -> call.write(bytes))) {
                    return null;
                }
            }
            case FITS -> call.write(bytes);
        }
        block.store(handle.offset + handle.writer, bytes);
        handle.writer += bytes.length;
        return block;
    }

    /** A write through the buffer API. */
    @FunctionalInterface
    private interface WriteCall {
        ByteBuf write(byte[] bytes);
    }

    private Block setBytes(Handle handle, SetBytes command) {
        int capacity = handle.capacity();
        int length = Math.min(command.length(), capacity);
        int index = Math.floorMod(command.index(), capacity - length + 1);
        byte[] bytes = bytes(command.seed(), length);
        handle.buffer.setBytes(index, bytes);
        handle.block.store(handle.offset + index, bytes);
        return handle.block;
    }

    private Block read(Handle handle, int requested) {
        int length = Math.floorMod(requested, handle.readableBytes() + 1);
        byte[] read = new byte[length];
        handle.buffer.readBytes(read);
        handle.block.compare(handle, handle.reader, read);
        handle.reader += length;
        return handle.block;
    }

    private Block readNumber(Handle handle, boolean wide) {
        int width = wide ? Long.BYTES : Integer.BYTES;
        if (handle.readableBytes() < width) {
            assertThrows(IndexOutOfBoundsException.class, wide ? handle.buffer::readLong : handle.buffer::readInt);
            return handle.block;
        }
        byte[] read = numberBytes(wide ? handle.buffer.readLong() : handle.buffer.readInt(), wide);
        handle.block.compare(handle, handle.reader, read);
        handle.reader += width;
        return handle.block;
    }

    /** Changes the capacity of the root of the named buffer, on the command's thread. */
    private Block capacity(Block block, Capacity command) throws Exception {
        long wanted = command.relative() ? (long) block.capacity * command.capacity() / 100 : command.capacity();
        int newCapacity = (int) Math.min(wanted, Integer.MAX_VALUE);
        if (newCapacity > block.maxCapacity) {
            on(command.where(), () -> assertThrows(IllegalArgumentException.class,
                () -> block.root.buffer.capacity(newCapacity)));
            return block;
        }
        return resize(block, newCapacity, command.where(), () -> block.root.buffer.capacity(newCapacity))
            ? block : null;
    }

    /**
     * Makes {@code call} change the capacity of {@code block} to {@code newCapacity} on {@code where}, and the model
     * with it: views forgotten, bytes past the new capacity dropped, new bytes undefined, indices trimmed, the block
     * kept or moved by the adapter's rule. Returns false, doing nothing, if the budget does not allow it.
     */
    private boolean resize(Block block, int newCapacity, Where where, Callable<?> call) throws Exception {
        boolean inPlace = newCapacity == block.capacity || (newCapacity > block.capacity
            ? newCapacity <= block.usable : newCapacity > block.usable >>> 1);
        int newUsable = inPlace ? block.usable : usableSize(block.direct, newCapacity);
        if (budgetUsed + newUsable - block.usable > BUDGET) {
            return false;
        }
        handles.removeIf(handle -> handle.block == block && handle.view != View.ROOT);
        Place before = block.place;
        on(where, call);
        budgetUsed += newUsable - block.usable;
        block.usable = newUsable;
        block.resize(newCapacity);
        block.place = place(block.root.buffer);
        if (inPlace) {
            assertEquals(before, block.place, "a resize within the block stays in place");
        } else {
            assertNotEquals(before, block.place, "a resize past the block moves it");
            checkDisjoint(block);
        }
        Handle root = block.root;
        if (root.writer > newCapacity) {
            root.writer = newCapacity;
            root.reader = Math.min(root.reader, newCapacity);
        }
        return true;
    }

    private Block discardReadBytes(Handle handle) {
        handle.buffer.discardReadBytes();
        if (handle.reader > 0) {
            handle.block.move(handle.offset + handle.reader, handle.offset, handle.readableBytes());
            handle.writer -= handle.reader;
            handle.reader = 0;
        }
        return handle.block;
    }

    private Block setIndex(Handle handle, SetIndex command) {
        int capacity = handle.capacity();
        int writer = Math.floorMod(command.writer(), capacity + 2);
        int reader = Math.floorMod(command.reader(), writer + 2);
        if (writer > capacity || reader > writer) {
            assertThrows(IndexOutOfBoundsException.class, () -> handle.buffer.setIndex(reader, writer));
            return handle.block;
        }
        if (command.stepwise()) {
            handle.buffer.readerIndex(0).writerIndex(writer).readerIndex(reader);
        } else {
            handle.buffer.setIndex(reader, writer);
        }
        handle.reader = reader;
        handle.writer = writer;
        return handle.block;
    }

    private Block slice(Handle handle, Slice command) {
        int index;
        int length;
        ByteBuf slice;
        if (command.readable()) {
            index = handle.reader;
            length = handle.readableBytes();
            slice = command.retained() ? handle.buffer.retainedSlice() : handle.buffer.slice();
        } else {
            length = Math.floorMod(command.length(), handle.capacity() + 1);
            index = Math.floorMod(command.index(), handle.capacity() - length + 1);
            slice = operations.slice(handle.buffer, index, length, command.retained());
        }
        return addView(handle, slice, View.SLICE, handle.offset + index, length, 0, length, command.retained());
    }

    /** A duplicate of a slice is a slice again (Netty's {@code slice(0, capacity)} with the same indices). */
    private Block duplicate(Handle handle, boolean retained) {
        ByteBuf duplicate = retained ? handle.buffer.retainedDuplicate() : handle.buffer.duplicate();
        return addView(handle, duplicate, handle.view == View.SLICE ? View.SLICE : View.DUPLICATE, handle.offset,
            handle.length, handle.reader, handle.writer, retained);
    }

    private Block addView(Handle of, ByteBuf buffer, View view, int offset, int length, int reader, int writer,
                          boolean retained) {
        Block block = of.block;
        if (retained) {
            block.refCnt++;
        }
        handles.add(new Handle(nextId++, "#" + of.id, buffer, block, view, offset, length, reader, writer));
        return block;
    }

    /** A copy of the readable bytes: a new root of the same kind, the source's maximum capacity, its own block. */
    private Block copy(Handle handle) {
        Block source = handle.block;
        int length = handle.readableBytes();
        int usable = usableSize(source.direct, length);
        if (budgetUsed + usable > BUDGET) {
            return null;
        }
        ByteBuf copy = handle.buffer.copy();
        Block block = new Block(source.direct, length, source.maxCapacity, usable);
        int from = handle.offset + handle.reader;
        System.arraycopy(source.bytes, from, block.bytes, 0, length);
        block.defined.or(source.defined.get(from, from + length));
        adopt(block, copy, length);
        return block;
    }

    private Block retain(Handle handle) {
        handle.buffer.retain();
        handle.block.refCnt++;
        return handle.block;
    }

    private Block release(Handle handle, Where where) throws Exception {
        Block block = handle.block;
        boolean last = block.refCnt == 1;
        assertEquals(last, on(where, () -> operations.release(handle.buffer)),
            "release() returns true exactly for the last reference");
        block.refCnt--;
        if (last) {
            bury(block);
        }
        return block;
    }

    /** Checks that the dead block's buffers all fail, a second release included, and forgets them. */
    private void bury(Block block) {
        for (Handle handle : handles) {
            if (handle.block == block) {
                checkReleased(handle);
            }
        }
        handles.removeIf(handle -> handle.block == block);
        blocks.remove(block);
        budgetUsed -= block.usable;
    }

    private static void checkReleased(Handle handle) {
        ByteBuf buffer = handle.buffer;
        assertEquals(0, buffer.refCnt(), handle::toString);
        assertThrows(IllegalReferenceCountException.class, () -> buffer.ensureWritable(0), handle::toString);
        if (handle.capacity() > 0) {
            assertThrows(IllegalReferenceCountException.class, () -> buffer.getByte(0), handle::toString);
        }
        assertThrows(IllegalReferenceCountException.class, buffer::release, "double release of " + handle);
        assertThrows(IllegalReferenceCountException.class, buffer::retain, "retain after release of " + handle);
    }

    /** Records a new block with its root buffer, whose writer index is {@code writer}. */
    private void adopt(Block block, ByteBuf buffer, int writer) {
        block.root = new Handle(nextId++, "allocated", buffer, block, View.ROOT, 0, 0, 0, writer);
        block.place = place(buffer);
        checkDisjoint(block);
        blocks.add(block);
        handles.add(block.root);
        budgetUsed += block.usable;
    }

    /** Checks that the block's usable bytes overlap no other live block's. */
    private void checkDisjoint(Block block) {
        for (Block other : blocks) {
            if (other != block && other.place.overlaps(other.usable, block.place, block.usable)) {
                fail("block " + block.place + " of " + block.usable + " bytes overlaps " + other.place + " of "
                    + other.usable);
            }
        }
    }

    /** Checks every live buffer's shape, the readable bytes of those sharing {@code touched}, and the live counts. */
    private void checkAll(Block touched) {
        for (Handle handle : handles) {
            checkShape(handle);
            if (handle.block == touched) {
                checkBytes(handle, handle.reader, handle.writer);
            }
        }
        long directBuffers = 0;
        long directBytes = 0;
        long heapBuffers = 0;
        long heapBytes = 0;
        for (Block block : blocks) {
            if (block.direct) {
                directBuffers++;
                directBytes += block.capacity;
            } else {
                heapBuffers++;
                heapBytes += block.capacity;
            }
        }
        ApfByteBufAllocatorMetric metric = allocator.metric();
        assertEquals(directBuffers, metric.liveDirectBuffers(), "live direct buffers");
        assertEquals(directBytes, metric.liveDirectBytes(), "live direct bytes");
        assertEquals(heapBuffers, metric.liveHeapBuffers(), "live heap buffers");
        assertEquals(heapBytes, metric.liveHeapBytes(), "live heap bytes");
    }

    private static void checkShape(Handle handle) {
        ByteBuf buffer = handle.buffer;
        Block block = handle.block;
        assertEquals(block.refCnt, buffer.refCnt(), () -> "refCnt of " + handle);
        assertEquals(handle.capacity(), buffer.capacity(), () -> "capacity of " + handle);
        assertEquals(handle.maxCapacity(), buffer.maxCapacity(), () -> "maxCapacity of " + handle);
        assertEquals(handle.reader, buffer.readerIndex(), () -> "readerIndex of " + handle);
        assertEquals(handle.writer, buffer.writerIndex(), () -> "writerIndex of " + handle);
        if (handle.view == View.ROOT) {
            assertEquals(block.direct, buffer.isDirect(), () -> "isDirect of " + handle);
            assertEquals(Math.min(block.usable, block.maxCapacity) - handle.writer, buffer.maxFastWritableBytes(),
                () -> "maxFastWritableBytes of " + handle);
        }
    }

    /** Compares the written bytes of {@code [from, to)}, read in bulk and, at both ends, one by one. */
    private static void checkBytes(Handle handle, int from, int to) {
        if (from == to) {
            return;
        }
        byte[] real = new byte[to - from];
        handle.buffer.getBytes(from, real);
        handle.block.compare(handle, from, real);
        handle.block.compare(handle, from, new byte[] {handle.buffer.getByte(from)});
        handle.block.compare(handle, to - 1, new byte[] {handle.buffer.getByte(to - 1)});
    }

    /**
     * Compares every byte, releases everything, and checks the allocator: consistent with nothing live once the
     * threads are idle, and nothing held once the event loop has ended and a trim ran.
     */
    private void finish() throws Exception {
        for (Handle handle : handles) {
            checkBytes(handle, 0, handle.capacity());
        }
        for (Block block : List.copyOf(blocks)) {
            while (block.refCnt > 0) {
                release(block.root, Where.CALLER);
            }
        }
        Tasks.await(loop.submit(() -> null));
        Tasks.await(plainThread.submit(() -> null));
        BufferAudit audit = allocator.audit();
        assertTrue(audit.isConsistent(), audit.problems()::toString);
        assertEquals(0, audit.liveDirectBuffers(), "live direct buffers in the audit");
        assertEquals(0, audit.livePooledHeapBuffers(), "live heap buffers in the audit");
        checkAll(null);
        stopThreads();
        allocator.trim();
        assertEquals(0, allocator.metric().usedDirectMemory(), "direct memory held after trim");
        assertEquals(0, allocator.metric().usedHeapMemory(), "heap memory held after trim");
    }

    private void stopThreads() throws InterruptedException {
        group.shutdownGracefully(0, Tasks.TIMEOUT_SECONDS, TimeUnit.SECONDS).sync();
        plainThread.shutdown();
        assertTrue(plainThread.awaitTermination(Tasks.TIMEOUT_SECONDS, TimeUnit.SECONDS), "the plain thread ends");
    }

    /** Ends the threads; after a failure, first gives back what is still live so failed replays hold no memory. */
    @Override
    public void close() {
        for (Block block : blocks) {
            ByteBuf root = block.root.buffer;
            for (int references = root.refCnt(); references > 0 && root.refCnt() > 0; references--) {
                root.release();
            }
        }
        try {
            stopThreads();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        allocator.trim();
    }

    /** Runs {@code action} on {@code where} and waits for it; what it threw is thrown here. */
    private <T> T on(Where where, Callable<T> action) throws Exception {
        return switch (where) {
            case CALLER -> action.call();
            case EVENT_LOOP -> Tasks.await(loop.submit(action));
            case PLAIN_THREAD -> Tasks.await(plainThread.submit(action));
        };
    }

    private int usableSize(boolean direct, int request) {
        return !direct && request > heapBlockLimit ? request : BlockSource.blockSizeFor(request);
    }

    private static Place place(ByteBuf buffer) {
        return buffer.isDirect() ? new Place(buffer.memoryAddress(), null, 0)
            : new Place(0, buffer.array(), buffer.arrayOffset());
    }

    private static byte[] bytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** Returns the big-endian bytes of {@code value}, or of its low 32 bits unless {@code wide}. */
    private static byte[] numberBytes(long value, boolean wide) {
        ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES).putLong(value);
        return wide ? bytes.array() : Arrays.copyOfRange(bytes.array(), Integer.BYTES, Long.BYTES);
    }

    /** Where a block lives: a native address, or an array and offset (compared by identity). */
    private record Place(long address, byte[] array, int offset) {
        boolean overlaps(int size, Place other, int otherSize) {
            if (array != other.array) {
                return false;
            }
            long start = array == null ? address : offset;
            long otherStart = array == null ? other.address : other.offset;
            return start < otherStart + otherSize && otherStart < start + size;
        }

        @Override
        public boolean equals(Object object) {
            return object instanceof Place other && address == other.address && array == other.array
                && offset == other.offset;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(address) * 31 + System.identityHashCode(array) * 17 + offset;
        }

        @Override
        public String toString() {
            return array == null ? "0x" + Long.toHexString(address)
                : "array@" + Integer.toHexString(System.identityHashCode(array)) + "+" + offset;
        }
    }

    /** How a buffer sees its block. */
    private enum View { ROOT, SLICE, DUPLICATE }

    /** The model of one block: what its root and views share. */
    private static final class Block {
        final boolean direct;
        final int maxCapacity;
        int capacity;
        /** The usable size of the block the root holds now. */
        int usable;
        int refCnt = 1;
        byte[] bytes;
        /** Which bytes were written (the others are whatever the block held). */
        final BitSet defined = new BitSet();
        Handle root;
        Place place;

        Block(boolean direct, int capacity, int maxCapacity, int usable) {
            this.direct = direct;
            this.capacity = capacity;
            this.maxCapacity = maxCapacity;
            this.usable = usable;
            this.bytes = new byte[capacity];
        }

        void store(int index, byte[] values) {
            System.arraycopy(values, 0, bytes, index, values.length);
            defined.set(index, index + values.length);
        }

        void move(int from, int to, int length) {
            System.arraycopy(bytes, from, bytes, to, length);
            BitSet moved = defined.get(from, from + length);
            defined.clear(to, to + length);
            moved.stream().forEach(bit -> defined.set(to + bit));
        }

        void resize(int newCapacity) {
            bytes = Arrays.copyOf(bytes, newCapacity);
            if (newCapacity < capacity) {
                defined.clear(newCapacity, capacity);
            }
            capacity = newCapacity;
        }

        /** Checks that {@code real}, read from {@code handle} at {@code index}, matches every written byte. */
        void compare(Handle handle, int index, byte[] real) {
            int start = handle.offset + index;
            for (int at = defined.nextSetBit(start); at >= 0 && at < start + real.length;
                 at = defined.nextSetBit(at + 1)) {
                if (bytes[at] != real[at - start]) {
                    fail(handle + ": byte " + (at - handle.offset) + " is " + real[at - start] + ", expected "
                        + bytes[at]);
                }
            }
        }
    }

    /** One buffer the commands can name: a root or a view, with its own indices. */
    private static final class Handle {
        final int id;
        final String origin;
        final ByteBuf buffer;
        final Block block;
        final View view;
        /** Where the view starts in the root (0 for roots and duplicates). */
        final int offset;
        /** A slice's fixed capacity; roots and duplicates have their block's. */
        final int length;
        int reader;
        int writer;

        Handle(int id, String origin, ByteBuf buffer, Block block, View view, int offset, int length, int reader,
               int writer) {
            this.id = id;
            this.origin = origin;
            this.buffer = buffer;
            this.block = block;
            this.view = view;
            this.offset = offset;
            this.length = length;
            this.reader = reader;
            this.writer = writer;
        }

        int capacity() {
            return view == View.SLICE ? length : block.capacity;
        }

        int maxCapacity() {
            return view == View.SLICE ? length : block.maxCapacity;
        }

        int readableBytes() {
            return writer - reader;
        }

        int writableBytes() {
            return capacity() - writer;
        }

        @Override
        public String toString() {
            return "#" + id + " (" + (view == View.ROOT ? (block.direct ? "direct" : "heap") + " buffer"
                : view.name().toLowerCase(Locale.ROOT) + " of " + origin + " at " + offset) + ", r=" + reader
                + " w=" + writer + " cap=" + capacity() + ")";
        }
    }
}
