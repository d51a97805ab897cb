package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.RawCommand.AlignedAlloc;
import io.apfmalloc.core.RawCommand.Audit;
import io.apfmalloc.core.RawCommand.Call;
import io.apfmalloc.core.RawCommand.Check;
import io.apfmalloc.core.RawCommand.Far;
import io.apfmalloc.core.RawCommand.Free;
import io.apfmalloc.core.RawCommand.Interior;
import io.apfmalloc.core.RawCommand.Malloc;
import io.apfmalloc.core.RawCommand.Realloc;
import io.apfmalloc.core.RawCommand.ReallocBy;
import io.apfmalloc.core.RawCommand.ReallocNull;
import io.apfmalloc.core.RawCommand.Stale;
import io.apfmalloc.core.RawCommand.Step;
import io.apfmalloc.core.RawCommand.UsableSize;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.testing.BlockPattern;
import io.apfmalloc.core.testing.HeapChecks;
import io.apfmalloc.core.testing.PatternedBlock;
import io.apfmalloc.core.testing.RawApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.function.Executable;

/**
 * The reference model of the raw API: what the allocations of a sequence of {@link RawCommand}s must look like, checked
 * after every command. {@link #replay} runs a sequence on a fresh allocator, each command on its worker thread, then
 * checks the heap.
 *
 * <p>After every command: every allocation made is non-zero and aligned (8 bytes for malloc, 16 for sizes that are
 * multiples of 16, the alignment asked for); its usable size is at least the size asked for, exactly
 * {@link ApfAllocator#usableSizeFor} for malloc and realloc, and the same on every later call while it is live; no
 * two live allocations overlap; each carries a {@link BlockPattern} over its usable size, checked before it is freed
 * or reallocated and by {@code check} ({@code audit()} runs the heap audit against them). A realloc keeps
 * {@code min(old usable, new size)} bytes, and stays in place exactly when its Javadoc says so (the same size class;
 * a large allocation down to half its mapping). Bad input throws {@link IllegalArgumentException} (a stale address in
 * checked mode, {@link IllegalStateException} as well) and leaves the allocator's figures and the allocation it named
 * as they were.
 *
 * <p>At the end: the contents of every live allocation, {@link ApfAllocator#audit(long[])} against them; then each
 * is freed (allocation {@code i} by worker {@code i % 3}, so most frees cross threads), each worker flushes its cache,
 * and {@link HeapChecks#trimAndAssertEmpty} must find every byte returned.
 */
final class RawApiModel {
    /** Worker threads of a replay. */
    static final int WORKERS = 3;
    /** Freed addresses remembered for {@link Stale} commands. */
    private static final int STALE_REMEMBERED = 16;

    private final ApfAllocator allocator;
    private final RawApi api;
    private final long largestSize;
    /** In allocation order; {@code #k} positions count from the end. */
    private final List<Allocation> live = new ArrayList<>();
    private final TreeMap<Long, Allocation> byAddress = new TreeMap<>();
    /** Addresses freed and not allocated again since, the most recent last. */
    private final List<Long> freed = new ArrayList<>();
    private long sequence;

    private RawApiModel(ApfAllocator allocator, RawApi api, long largestSize) {
        this.allocator = allocator;
        this.api = api;
        this.largestSize = largestSize;
    }

    /**
     * What a replay runs on: an allocator of {@code kind}, in checked mode or not, whose caches {@code policy} sizes
     * (with small budgets, see {@link #newAllocator}), seen through {@code api}: the allocator's own methods, or a
     * wrapper.
     */
    record Setup(MemoryKind kind, boolean checked, TuningPolicy policy, Function<ApfAllocator, RawApi> api) {
        private static final long MIB = 1L << 20;

        /** The allocator as it is. */
        Setup(MemoryKind kind, boolean checked, TuningPolicy policy) {
            this(kind, checked, policy, RawApi::of);
        }

        /**
         * Makes the allocator: a limit far above what a sequence holds, and APF bursts, fetches and bins small
         * enough that bins overflow, flush and fetch again, and superblocks empty and are released or retained.
         */
        ApfAllocator newAllocator() {
            return ApfAllocator.builder().memoryKind(kind).checked(checked).tuningPolicy(policy)
                .maxMemory(kind == MemoryKind.HEAP ? 256 * MIB : 1024 * MIB)
                .apfBurstLength(16).apfHibernationLength(64).apfTarget(16)
                .maxBinBytes(64 << 10).retainBytes(MIB)
                .build();
        }

        /** Returns the largest size to ask for: 8 MiB, or 4 MiB for the heap kind (its {@code maxAllocationSize}). */
        long largestSize() {
            return kind == MemoryKind.HEAP ? 4 * MIB : 8 * MIB;
        }

        @Override
        public String toString() {
            return kind + (checked ? ", checked, " : ", unchecked, ") + policy;
        }
    }

    /**
     * What an allocation must be: {@code size} bytes at a multiple of {@code alignment}, usable for exactly
     * {@code usable} bytes (0: at least {@code size}), {@code large} if in a mapping of its own.
     */
    private record Expected(long size, long alignment, long usable, boolean large) {
        /** What malloc, {@code realloc(0, n)} and a realloc that moves promise. */
        static Expected malloc(long size) {
            long alignment = size >= 16 && size % 16 == 0 ? 16 : 8;
            return new Expected(size, alignment, ApfAllocator.usableSizeFor(size), size > SizeClasses.MAX_BLOCK_SIZE);
        }
    }

    /** An allocation the model holds: its pattern, the size asked for, and whether it has a mapping of its own. */
    private record Allocation(PatternedBlock block, long size, boolean large) {
        long address() {
            return block.address();
        }

        long usable() {
            return block.usable();
        }
    }

    /**
     * Replays {@code steps} on a fresh allocator of {@code setup} and fresh workers, checking the model after every
     * step and the heap at the end.
     *
     * @throws AssertionError naming the step that failed, or the end-of-sequence check, with the cause
     */
    static void replay(Setup setup, List<Step> steps) {
        ApfAllocator allocator = setup.newAllocator();
        assertTrue(setup.largestSize() <= allocator.maxAllocationSize(), setup::toString);
        RawApiModel model = new RawApiModel(allocator, setup.api().apply(allocator), setup.largestSize());
        try (WorkerThreads workers = new WorkerThreads(WORKERS, "raw-model")) {
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                try {
                    workers.run(step.thread(), () -> model.execute(step.command()));
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("step " + i + " (" + step + "): " + e, e);
                }
            }
            try {
                model.finish(workers);
            } catch (RuntimeException | Error e) {
                throw new AssertionError("after the last step: " + e, e);
            }
        }
    }

    /** Returns whether {@code alignment} is one the allocator must accept: a positive power of two. */
    static boolean isAlignment(long alignment) {
        return alignment > 0 && Long.bitCount(alignment) == 1;
    }

    /** Runs {@code command} on the calling thread and checks the model. */
    private void execute(RawCommand command) {
        switch (command) {
            case Malloc(long size) -> malloc(command, size, () -> api.malloc(size));
            case ReallocNull(long size) -> malloc(command, size, () -> api.realloc(0, size));
            case AlignedAlloc(long alignment, long size) -> alignedAlloc(command, alignment, size);
            case Realloc(int which, long size) -> realloc(command, which, size);
            case ReallocBy resize -> {
                if (!live.isEmpty()) {
                    realloc(command, resize.which(), resize.sizeFrom(pick(resize.which()).size(), largestSize));
                }
            }
            case Free(int which) -> free(which);
            case UsableSize(int which) -> {
                if (!live.isEmpty()) {
                    assertUsableSizeUnchanged(command, pick(which));
                }
            }
            case Check(int which) -> {
                if (!live.isEmpty()) {
                    pick(which).block().verify();
                }
            }
            case Audit() -> HeapChecks.assertConsistent(allocator, liveAddresses());
            case Interior interior -> interior(interior);
            case Far(Call call, long address) -> assertRefused(command.toString(), () -> invoke(call, address));
            case Stale stale -> stale(stale);
        }
        for (Allocation allocation : live) {
            assertUsableSizeUnchanged(command, allocation);
        }
    }

    private void malloc(RawCommand command, long size, LongSupplier allocate) {
        if (size < 0) {
            assertRefused(command.toString(), allocate::getAsLong);
            return;
        }
        live.add(admit(command, allocate.getAsLong(), Expected.malloc(size)));
    }

    private void alignedAlloc(RawCommand command, long alignment, long size) {
        if (size < 0 || !isAlignment(alignment)) {
            assertRefused(command.toString(), () -> api.alignedAlloc(alignment, size));
            return;
        }
        boolean large = size > SizeClasses.MAX_BLOCK_SIZE || alignment > SizeClasses.SUPERBLOCK_ALIGNMENT;
        live.add(admit(command, api.alignedAlloc(alignment, size), new Expected(size, alignment, 0, large)));
    }

    private void realloc(RawCommand command, int which, long size) {
        if (live.isEmpty()) {
            return;
        }
        int index = indexOf(which);
        Allocation old = live.get(index);
        old.block().verify();
        if (size < 0) {
            assertRefused(command.toString(), () -> api.realloc(old.address(), size));
            old.block().verify();
            return;
        }
        long moved = api.realloc(old.address(), size);
        assertNotEquals(0, moved, () -> command + " returned 0");
        boolean inPlace = old.large()
            ? size > SizeClasses.MAX_BLOCK_SIZE && size <= old.usable() && size > old.usable() / 2
            : ApfAllocator.usableSizeFor(size) == old.usable();
        assertEquals(inPlace, moved == old.address(), () -> String.format(
            "%s of 0x%x (usable %d%s) returned 0x%x: it should %s", command, old.address(), old.usable(),
            old.large() ? ", its own mapping" : "", moved, inPlace ? "stay in place" : "move"));
        old.block().verifyCopy(moved, Math.min(old.usable(), size));
        forget(index);
        if (!inPlace) {
            remember(old.address());
        }
        Expected expected = inPlace ? new Expected(size, 1, old.usable(), old.large()) : Expected.malloc(size);
        live.add(index, admit(command, moved, expected));
    }

    private void free(int which) {
        if (live.isEmpty()) {
            return;
        }
        int index = indexOf(which);
        Allocation allocation = live.get(index);
        allocation.block().verify();
        api.free(allocation.address());
        forget(index);
        remember(allocation.address());
    }

    private void interior(Interior command) {
        if (live.isEmpty()) {
            return;
        }
        Allocation target = pick(command.which());
        long address = target.address() + command.offsetIn(target.usable());
        assertRefused(command.call().on(hex(address)), () -> invoke(command.call(), address));
        target.block().verify();
    }

    private void stale(Stale command) {
        if (!allocator.isChecked() || freed.isEmpty()) {
            return;
        }
        long address = freed.get(freed.size() - 1 - command.which() % freed.size());
        RuntimeException thrown = refused(command.call().on(hex(address)), () -> invoke(command.call(), address));
        assertTrue(thrown instanceof IllegalStateException || thrown instanceof IllegalArgumentException,
            () -> command + " threw " + thrown + ", expected IllegalStateException or IllegalArgumentException");
    }

    private Allocation pick(int which) {
        return live.get(indexOf(which));
    }

    /** Returns the index in {@link #live} of position {@code #which}, counted from the newest. */
    private int indexOf(int which) {
        return live.size() - 1 - which % live.size();
    }

    private void invoke(Call call, long address) {
        switch (call) {
            case FREE -> api.free(address);
            case REALLOC -> api.realloc(address, 1);
            case USABLE_SIZE -> api.usableSize(address);
        }
    }

    /**
     * Checks a new allocation at {@code address} (non-zero, aligned, of the usable size expected, overlapping no live
     * one) and writes a fresh pattern over it.
     */
    private Allocation admit(RawCommand command, long address, Expected expected) {
        assertNotEquals(0, address, () -> command + " returned 0 (" + allocator.stats() + ")");
        assertEquals(0, address & (expected.alignment() - 1),
            () -> command + " returned " + hex(address) + ", not aligned to " + expected.alignment());
        long usable = api.usableSize(address);
        if (expected.usable() != 0) {
            assertEquals(expected.usable(), usable,
                () -> command + " returned " + hex(address) + " with the wrong usable size");
        }
        Map.Entry<Long, Allocation> below = byAddress.floorEntry(address);
        if (below != null) {
            Allocation other = below.getValue();
            assertTrue(other.address() + other.usable() <= address, () -> String.format(
                "%s returned 0x%x, inside the live allocation 0x%x (usable %d)", command, address, other.address(),
                other.usable()));
        }
        Map.Entry<Long, Allocation> above = byAddress.ceilingEntry(address);
        if (above != null) {
            assertTrue(address + usable <= above.getKey(), () -> String.format(
                "%s returned 0x%x (usable %d), overlapping the live allocation 0x%x", command, address, usable,
                above.getKey()));
        }
        Allocation allocation = new Allocation(PatternedBlock.fill(api, address, expected.size(), sequence++),
            expected.size(), expected.large());
        byAddress.put(address, allocation);
        freed.remove(Long.valueOf(address));
        return allocation;
    }

    private void forget(int index) {
        byAddress.remove(live.remove(index).address());
    }

    private void remember(long address) {
        if (freed.size() == STALE_REMEMBERED) {
            freed.removeFirst();
        }
        freed.add(address);
    }

    private void assertUsableSizeUnchanged(RawCommand command, Allocation allocation) {
        long usable = api.usableSize(allocation.address());
        assertEquals(allocation.usable(), usable,
            () -> "after " + command + ", usableSize(" + hex(allocation.address()) + ") changed");
    }

    /** Asserts {@code executable} throws {@link IllegalArgumentException} and leaves the allocator as it was. */
    private void assertRefused(String call, Executable executable) {
        RuntimeException thrown = refused(call, executable);
        assertInstanceOf(IllegalArgumentException.class, thrown, () -> call + " threw " + thrown);
    }

    private RuntimeException refused(String call, Executable executable) {
        AllocatorStats before = allocator.stats();
        RuntimeException thrown = assertThrows(RuntimeException.class, executable, () -> call + " must throw");
        assertEquals(before, allocator.stats(), () -> call + " threw " + thrown + " but changed the allocator");
        return thrown;
    }

    /** The end-of-sequence checks; on the test thread, while every worker waits. */
    private void finish(WorkerThreads workers) {
        live.forEach(allocation -> allocation.block().verify());
        HeapChecks.assertConsistent(allocator, liveAddresses());
        for (int i = 0; i < live.size(); i++) {
            long address = live.get(i).address();
            workers.run(i % workers.count(), () -> api.free(address));
        }
        live.clear();
        byAddress.clear();
        for (int i = 0; i < workers.count(); i++) {
            workers.run(i, allocator::flushThreadCache);
        }
        HeapChecks.trimAndAssertEmpty(allocator);
    }

    private long[] liveAddresses() {
        return live.stream().mapToLong(Allocation::address).toArray();
    }

    private static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }
}
