package io.apfmalloc.netty;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One step of a {@link BufferModel} sequence: an operation on the buffers of an {@link ApfByteBufAllocator}. A
 * command names its buffer by a number taken modulo the count of buffers alive when it runs, and clamps its sizes
 * and indices to that buffer, so every subsequence of a sequence is again a valid sequence (what
 * {@link io.apfmalloc.core.testing.SequenceShrinker} needs). The commands and their clamping rules are those of
 * {@link BufferModel}; this type only holds and makes them.
 */
sealed interface BufferCommand {
    /** The largest initial capacity an allocation asks for. */
    int MAX_INITIAL_CAPACITY = 3 << 19;
    /** The largest absolute capacity a {@link Capacity} command asks for: past the heap core's 4 MiB blocks. */
    int MAX_CAPACITY_CHANGE = 6 << 20;
    /** The longest run of bytes one write, set or read moves. */
    int MAX_TRANSFER = 64 * 1024;

    /** Which kind of buffer an allocation asks for, through which method of the allocator. */
    enum Kind { BUFFER, DIRECT, HEAP, IO }

    /** The thread a command runs on. */
    enum Where {
        /** The test's own thread: the shared stripes. */
        CALLER,
        /** An event loop of the sequence's group, via {@code submit().get()}: the loop's own cache. */
        EVENT_LOOP,
        /** A plain thread of a single-thread executor: the shared stripes from another thread. */
        PLAIN_THREAD
    }

    /** Where the choices come from: a seeded random generator, or a fuzzer's input. */
    interface Choices {
        /** Returns a number in {@code [0, bound)}; {@code bound} is positive. */
        int nextInt(int bound);

        /** Returns any long. */
        long nextLong();
    }

    /** Returns commands that are simpler than this one and as valid (smaller sizes, the caller's thread), or none. */
    List<BufferCommand> simpler();

    /**
     * Returns the buffer the command acts on, by position among the live buffers modulo their count; every command
     * but {@link Allocate} has one.
     */
    default int target() {
        return 0;
    }

    /**
     * Allocates a buffer; {@code maxCapacity} 0 asks for the default (unbounded) maximum, else it is at least
     * {@code capacity}.
     */
    record Allocate(Kind kind, int capacity, int maxCapacity, Where where) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new Allocate(kind, capacity / 2, maxCapacity == 0 ? 0 : maxCapacity / 2, where),
                new Allocate(kind, capacity, 0, where), new Allocate(kind, capacity, maxCapacity, Where.CALLER));
        }
    }

    /** Writes {@code length} bytes made from {@code seed} at the writer index, growing a buffer that must grow. */
    record Write(int target, int length, long seed) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new Write(0, length, seed), new Write(target, length / 2, seed));
        }
    }

    /** Writes an int, or a long when {@code wide}, at the writer index. */
    record WriteNumber(int target, long value, boolean wide) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new WriteNumber(0, value, wide), new WriteNumber(target, value, false));
        }
    }

    /** Sets {@code length} bytes made from {@code seed} at an index inside the buffer, indices unchanged. */
    record SetBytes(int target, int index, int length, long seed) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new SetBytes(0, index, length, seed), new SetBytes(target, 0, length, seed),
                new SetBytes(target, index, length / 2, seed));
        }
    }

    /** Reads up to {@code length} readable bytes and compares them with the model. */
    record Read(int target, int length) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new Read(0, length), new Read(target, length / 2));
        }
    }

    /** Reads an int, or a long when {@code wide}; too few readable bytes must fail. */
    record ReadNumber(int target, boolean wide) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new ReadNumber(0, wide), new ReadNumber(target, false));
        }
    }

    /**
     * Sets the capacity of the buffer's root: {@code capacity} bytes, or {@code capacity} percent of the current
     * capacity when {@code relative}; past the maximum it must fail with IllegalArgumentException.
     */
    record Capacity(int target, int capacity, boolean relative, Where where) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new Capacity(0, capacity, relative, where),
                new Capacity(target, capacity / 2, relative, where),
                new Capacity(target, capacity, relative, Where.CALLER));
        }
    }

    /** Ensures {@code bytes} writable bytes, growing a root; past the maximum it must fail. */
    record EnsureWritable(int target, int bytes) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new EnsureWritable(0, bytes), new EnsureWritable(target, bytes / 2));
        }
    }

    /** Discards the bytes before the reader index, moving the readable ones to index 0. */
    record DiscardReadBytes(int target) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new DiscardReadBytes(0));
        }
    }

    /**
     * Moves the reader and writer index: the writer to {@code writer} modulo capacity + 2 and the reader to
     * {@code reader} modulo writer + 2, so that now and then one is out of bounds and must fail. {@code stepwise}
     * moves them with {@code readerIndex}/{@code writerIndex} rather than {@code setIndex}.
     */
    record SetIndex(int target, int reader, int writer, boolean stepwise) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new SetIndex(0, reader, writer, stepwise),
                new SetIndex(target, reader, writer, false));
        }
    }

    /**
     * Makes a slice: of the readable bytes when {@code readable}, else of {@code length} bytes at {@code index}
     * (both clamped into the buffer); a retained slice holds a reference.
     */
    record Slice(int target, int index, int length, boolean readable, boolean retained) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new Slice(0, index, length, readable, retained),
                new Slice(target, index, length, readable, false), new Slice(target, 0, length, readable, retained),
                new Slice(target, index, length / 2, readable, retained));
        }
    }

    /** Makes a duplicate; a retained duplicate holds a reference. */
    record Duplicate(int target, boolean retained) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new Duplicate(0, retained), new Duplicate(target, false));
        }
    }

    /** Copies the readable bytes into a new buffer of the same kind. */
    record Copy(int target) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new Copy(0));
        }
    }

    /** Takes one more reference. */
    record Retain(int target) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new Retain(0));
        }
    }

    /** Gives one reference back; the last one frees the block, and the buffer and its views must then fail. */
    record Release(int target, Where where) implements BufferCommand {
        @Override
        public List<BufferCommand> simpler() {
            return variants(this, new Release(0, where), new Release(target, Where.CALLER));
        }
    }

    /** Returns {@code length} commands made from {@code choices}. */
    static List<BufferCommand> sequence(Choices choices, int length) {
        List<BufferCommand> commands = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            commands.add(next(choices));
        }
        return commands;
    }

    /**
     * Returns one command made from {@code choices}: allocations and releases most often, then reads and writes,
     * capacity changes, views and the rest. Buffers are named by any non-negative number (taken modulo the live
     * count), sizes mostly small.
     */
    static BufferCommand next(Choices choices) {
        int target = choices.nextInt(1 << 16);
        int pick = choices.nextInt(100);
        if (pick < 14) {
            Kind kind = Kind.values()[choices.nextInt(Kind.values().length)];
            int capacity = initialCapacity(choices);
            int maxCapacity = choices.nextInt(4) == 0 ? capacity + choices.nextInt(2 * capacity + 64) : 0;
            return new Allocate(kind, capacity, maxCapacity, where(choices));
        } else if (pick < 26) {
            return new Write(target, transferLength(choices), choices.nextLong());
        } else if (pick < 32) {
            return new WriteNumber(target, choices.nextLong(), choices.nextInt(2) == 0);
        } else if (pick < 38) {
            return new SetBytes(target, choices.nextInt(Integer.MAX_VALUE), transferLength(choices),
                choices.nextLong());
        } else if (pick < 46) {
            return new Read(target, transferLength(choices));
        } else if (pick < 51) {
            return new ReadNumber(target, choices.nextInt(2) == 0);
        } else if (pick < 59) {
            boolean relative = choices.nextInt(2) == 0;
            int capacity = relative ? choices.nextInt(301)
                : choices.nextInt(50) == 0 ? choices.nextInt(MAX_CAPACITY_CHANGE + 1) : initialCapacity(choices);
            return new Capacity(target, capacity, relative, where(choices));
        } else if (pick < 64) {
            return new EnsureWritable(target, transferLength(choices));
        } else if (pick < 68) {
            return new DiscardReadBytes(target);
        } else if (pick < 73) {
            return new SetIndex(target, choices.nextInt(Integer.MAX_VALUE), choices.nextInt(Integer.MAX_VALUE),
                choices.nextInt(2) == 0);
        } else if (pick < 79) {
            return new Slice(target, choices.nextInt(Integer.MAX_VALUE), choices.nextInt(Integer.MAX_VALUE),
                choices.nextInt(2) == 0, choices.nextInt(2) == 0);
        } else if (pick < 83) {
            return new Duplicate(target, choices.nextInt(2) == 0);
        } else if (pick < 86) {
            return new Copy(target);
        } else if (pick < 90) {
            return new Retain(target);
        }
        return new Release(target, where(choices));
    }

    /** Mostly small: 0 … 256 B six times in ten, up to 8 KiB, 128 KiB, and rarely up to 1.5 MiB. */
    private static int initialCapacity(Choices choices) {
        int bucket = choices.nextInt(100);
        if (bucket < 60) {
            return choices.nextInt(257);
        } else if (bucket < 85) {
            return choices.nextInt(8 * 1024 + 1);
        } else if (bucket < 96) {
            return choices.nextInt(128 * 1024 + 1);
        }
        return choices.nextInt(MAX_INITIAL_CAPACITY + 1);
    }

    /** Mostly a few bytes, now and then up to {@link #MAX_TRANSFER}. */
    private static int transferLength(Choices choices) {
        return choices.nextInt(4) == 0 ? choices.nextInt(MAX_TRANSFER + 1) : choices.nextInt(65);
    }

    /** The caller's thread six times in ten, an event loop a quarter of the time, else the plain thread. */
    private static Where where(Choices choices) {
        int pick = choices.nextInt(20);
        return pick < 12 ? Where.CALLER : pick < 17 ? Where.EVENT_LOOP : Where.PLAIN_THREAD;
    }

    /** Returns the candidates that differ from {@code command}, without repeats, in order. */
    private static List<BufferCommand> variants(BufferCommand command, BufferCommand... candidates) {
        Set<BufferCommand> distinct = new LinkedHashSet<>(List.of(candidates));
        distinct.remove(command);
        return List.copyOf(distinct);
    }
}
