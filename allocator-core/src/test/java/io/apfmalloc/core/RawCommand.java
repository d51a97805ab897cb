package io.apfmalloc.core;

import java.util.ArrayList;
import java.util.List;

/**
 * One call of the raw API in a model-based test ({@link RawApiModel}), printed as it reads in code. A command that
 * uses an allocation names it by position among the live ones, counting from the newest ({@code #0}) modulo their
 * count, and does nothing when there is none: every subsequence of a sequence is then a valid sequence, which is what
 * shrinking needs (and removing an allocation older than the one named does not change which one it is).
 *
 * <p>Negative sizes and alignments that are not positive powers of two are part of the commands that take them; the
 * model expects {@link IllegalArgumentException} for them, as for the addresses of {@link Interior} and {@link Far}.
 */
sealed interface RawCommand {
    /** Returns versions of this command that are simpler to read, simplest first (smaller sizes, alignments, …). */
    List<RawCommand> simpler();

    /** The calls that take an address the allocator must refuse. */
    enum Call {
        /** {@link ApfAllocator#free}. */
        FREE,
        /** {@link ApfAllocator#realloc}, to one byte. */
        REALLOC,
        /** {@link ApfAllocator#usableSize}. */
        USABLE_SIZE;

        /** Returns the call on {@code address}, as printed. */
        String on(String address) {
            return switch (this) {
                case FREE -> "free(" + address + ")";
                case REALLOC -> "realloc(" + address + ", 1)";
                case USABLE_SIZE -> "usableSize(" + address + ")";
            };
        }
    }

    /** {@code malloc(size)}. */
    record Malloc(long size) implements RawCommand {
        @Override
        public List<RawCommand> simpler() {
            return smallerSizes(size).stream().<RawCommand>map(Malloc::new).toList();
        }

        @Override
        public String toString() {
            return "malloc(" + size + ")";
        }
    }

    /** {@code alignedAlloc(alignment, size)}. */
    record AlignedAlloc(long alignment, long size) implements RawCommand {
        @Override
        public List<RawCommand> simpler() {
            List<RawCommand> simpler = new ArrayList<>();
            simpler.add(new Malloc(size));
            for (long smaller : smallerAlignments(alignment)) {
                simpler.add(new AlignedAlloc(smaller, size));
            }
            for (long smaller : smallerSizes(size)) {
                simpler.add(new AlignedAlloc(alignment, smaller));
            }
            return simpler;
        }

        @Override
        public String toString() {
            return "alignedAlloc(" + alignment + ", " + size + ")";
        }
    }

    /** {@code realloc(#which, size)}. */
    record Realloc(int which, long size) implements RawCommand {
        @Override
        public List<RawCommand> simpler() {
            List<RawCommand> simpler = new ArrayList<>();
            for (int smaller : smallerPositions(which)) {
                simpler.add(new Realloc(smaller, size));
            }
            for (long smaller : smallerSizes(size)) {
                simpler.add(new Realloc(which, smaller));
            }
            return simpler;
        }

        @Override
        public String toString() {
            return "realloc(#" + which + ", " + size + ")";
        }
    }

    /**
     * {@code realloc(#which, size + delta)}, with the size that allocation was asked for (kept within 0 and the
     * largest size of the test): growth and shrinking by a little, which is when a realloc may stay in place.
     */
    record ReallocBy(int which, long delta) implements RawCommand {
        /** Returns the size to realloc an allocation of {@code size} bytes to, at most {@code largest}. */
        long sizeFrom(long size, long largest) {
            return Math.clamp(size + delta, 0, largest);
        }

        @Override
        public List<RawCommand> simpler() {
            List<RawCommand> simpler = new ArrayList<>();
            for (int smaller : smallerPositions(which)) {
                simpler.add(new ReallocBy(smaller, delta));
            }
            for (long smaller : smallerSizes(Math.abs(delta))) {
                simpler.add(new ReallocBy(which, delta < 0 ? -smaller : smaller));
            }
            return simpler;
        }

        @Override
        public String toString() {
            return "realloc(#" + which + ", size" + (delta < 0 ? " - " + -delta : " + " + delta) + ")";
        }
    }

    /** {@code realloc(0, size)}, which is {@code malloc(size)}. */
    record ReallocNull(long size) implements RawCommand {
        @Override
        public List<RawCommand> simpler() {
            List<RawCommand> simpler = new ArrayList<>();
            simpler.add(new Malloc(size));
            for (long smaller : smallerSizes(size)) {
                simpler.add(new ReallocNull(smaller));
            }
            return simpler;
        }

        @Override
        public String toString() {
            return "realloc(0, " + size + ")";
        }
    }

    /** {@code free(#which)}. */
    record Free(int which) implements RawCommand {
        @Override
        public List<RawCommand> simpler() {
            return smallerPositions(which).stream().<RawCommand>map(Free::new).toList();
        }

        @Override
        public String toString() {
            return "free(#" + which + ")";
        }
    }

    /** {@code usableSize(#which)}: must be what it was when the allocation was made. */
    record UsableSize(int which) implements RawCommand {
        @Override
        public List<RawCommand> simpler() {
            return smallerPositions(which).stream().<RawCommand>map(UsableSize::new).toList();
        }

        @Override
        public String toString() {
            return "usableSize(#" + which + ")";
        }
    }

    /** {@code check(#which)}: the allocation's contents must be what was written. */
    record Check(int which) implements RawCommand {
        @Override
        public List<RawCommand> simpler() {
            return smallerPositions(which).stream().<RawCommand>map(Check::new).toList();
        }

        @Override
        public String toString() {
            return "check(#" + which + ")";
        }
    }

    /**
     * {@code audit(live)}: the heap's invariant checker, against the allocations the model holds, in the middle of a
     * sequence (every other thread waits, as the audit requires).
     */
    record Audit() implements RawCommand {
        @Override
        public List<RawCommand> simpler() {
            return List.of();
        }

        @Override
        public String toString() {
            return "audit()";
        }
    }

    /**
     * A call on an address inside allocation {@code #which}, never the start of a block: {@code offset} bytes in,
     * wrapped into {@code 1 … usable - 1}.
     */
    record Interior(Call call, int which, long offset) implements RawCommand {
        /** Returns where the address falls in an allocation of {@code usable} bytes. */
        long offsetIn(long usable) {
            return 1 + Math.floorMod(offset - 1, usable - 1);
        }

        @Override
        public List<RawCommand> simpler() {
            List<RawCommand> simpler = new ArrayList<>();
            for (int smaller : smallerPositions(which)) {
                simpler.add(new Interior(call, smaller, offset));
            }
            for (long smaller : new long[] {1, Long.BYTES}) {
                if (smaller < offset) {
                    simpler.add(new Interior(call, which, smaller));
                }
            }
            return simpler;
        }

        @Override
        public String toString() {
            return call.on("#" + which + " + " + offset);
        }
    }

    /** A call on an address the allocator cannot hold, one of {@link #ADDRESSES}. */
    record Far(Call call, long address) implements RawCommand {
        /**
         * Addresses no allocator maps: below the lowest address Linux maps by default (64 KiB), past the 47-bit user
         * address space, or negative.
         */
        static final long[] ADDRESSES = {8, 4096, 1L << 47, 1L << 56, -8, Long.MIN_VALUE, Long.MAX_VALUE & -8};

        @Override
        public List<RawCommand> simpler() {
            return address == ADDRESSES[0] ? List.of() : List.of(new Far(call, ADDRESSES[0]));
        }

        @Override
        public String toString() {
            return call.on("0x" + Long.toHexString(address));
        }
    }

    /**
     * A call on an address freed earlier and not allocated again since, {@code #which} among the most recent ones
     * counting from the last ({@code freed #0}). Checked mode must refuse it; without checked mode it is undefined,
     * and the command does nothing.
     */
    record Stale(Call call, int which) implements RawCommand {
        @Override
        public List<RawCommand> simpler() {
            return smallerPositions(which).stream().<RawCommand>map(smaller -> new Stale(call, smaller)).toList();
        }

        @Override
        public String toString() {
            return call.on("freed #" + which);
        }
    }

    /** One command and the index of the worker thread that runs it, printed as {@code t1 malloc(4096)}. */
    record Step(int thread, RawCommand command) {
        /** Returns simpler steps: on a thread of lower index, then with simpler commands. */
        List<Step> simpler() {
            List<Step> simpler = new ArrayList<>();
            for (int lower = 0; lower < thread; lower++) {
                simpler.add(new Step(lower, command));
            }
            command.simpler().forEach(variant -> simpler.add(new Step(thread, variant)));
            return simpler;
        }

        /** Returns {@code steps} one per line, indented, for failure messages. */
        static String lines(List<Step> steps) {
            StringBuilder lines = new StringBuilder();
            for (Step step : steps) {
                lines.append(System.lineSeparator()).append("    ").append(step);
            }
            return lines.toString();
        }

        @Override
        public String toString() {
            return "t" + thread + " " + command;
        }
    }

    /**
     * Returns sizes below {@code size} that read simply: 0, then each power of two and the size just above it (a
     * size class boundary), ascending; negative sizes only simplify to -1.
     */
    private static List<Long> smallerSizes(long size) {
        if (size < 0) {
            return size == -1 ? List.of() : List.of(-1L);
        }
        List<Long> smaller = new ArrayList<>();
        if (size > 0) {
            smaller.add(0L);
        }
        for (long power = 1; power > 0 && power < size; power <<= 1) {
            smaller.add(power);
            if (power + 1 < size && power > 1) {
                smaller.add(power + 1);
            }
        }
        return smaller;
    }

    /**
     * Returns alignments below {@code alignment}, ascending powers of two; a bad alignment simplifies to 0, then
     * to 3, the simplest bad ones.
     */
    private static List<Long> smallerAlignments(long alignment) {
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            return alignment == 0 ? List.of() : alignment == 3 ? List.of(0L) : List.of(0L, 3L);
        }
        List<Long> smaller = new ArrayList<>();
        for (long power = 1; power < alignment; power <<= 1) {
            smaller.add(power);
        }
        return smaller;
    }

    /** Returns the positions {@code 0 … min(which, 4) - 1}. */
    private static List<Integer> smallerPositions(int which) {
        List<Integer> smaller = new ArrayList<>();
        for (int position = 0; position < Math.min(which, 4); position++) {
            smaller.add(position);
        }
        return smaller;
    }
}
