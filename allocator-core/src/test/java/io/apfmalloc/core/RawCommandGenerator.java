package io.apfmalloc.core;

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
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Makes sequences of {@link RawCommand}s from a source of choices: seeded random numbers in the model test, the
 * fuzzer's bytes in the fuzz test. It calls only {@link RandomGenerator#nextInt(int)} and
 * {@link RandomGenerator#nextLong(long, long)}, so a source need implement just those (and {@code nextLong()}).
 *
 * <p>The mix: 38% allocations (malloc, aligned, {@code realloc(0, n)}), 14% reallocs (5% by a little from the size
 * asked for), 26% frees (more once 64 allocations are live, which bounds the memory a sequence holds), 11% usable-size
 * and content checks, 1% heap audits, 10% interior, far and (in checked mode) stale addresses; besides, 1 size in 40
 * is negative and 1 alignment in 8 is bad. Sizes are mostly small (70% up to 512 B), then up to 64 KiB (20%), up to
 * 1 MiB, the largest size class (7%), and large, each in a mapping of its own (3%, up to
 * {@link RawApiModel.Setup#largestSize()}); alignments from 1 B to 2 MiB.
 */
final class RawCommandGenerator {
    /** Live allocations past which every other command is a free. */
    private static final int MANY_LIVE = 64;
    /** Most picks name one of the newest allocations, below this position. */
    private static final int RECENT_POSITIONS = 16;
    /** The other picks spread over all live allocations: positions count modulo the live count, far below this. */
    private static final int POSITIONS = 1 << 10;
    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final int MAX_ALIGNMENT_SHIFT = 21;
    private static final long[] INTERIOR_OFFSETS = {1, 8, 16, 64, 4 * KIB, 64 * KIB};

    private final RandomGenerator choices;
    private final long largestSize;
    private final boolean checked;
    /** How many allocations the commands so far leave live, were every one to succeed. */
    private int live;

    /** Makes commands for {@code setup} from {@code choices}. */
    RawCommandGenerator(RandomGenerator choices, RawApiModel.Setup setup) {
        this.choices = choices;
        this.largestSize = setup.largestSize();
        this.checked = setup.checked();
    }

    /** Returns the next {@code length} steps. */
    List<Step> steps(int length) {
        List<Step> steps = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            steps.add(next());
        }
        return steps;
    }

    /** Returns the next step: a command and the worker that runs it. */
    Step next() {
        int thread = choices.nextInt(RawApiModel.WORKERS);
        return new Step(thread, command());
    }

    private RawCommand command() {
        if (live >= MANY_LIVE && choices.nextInt(2) == 0) {
            return free();
        }
        int roll = choices.nextInt(100);
        if (roll < 28) {
            long size = sizeOrNegative();
            return allocation(new Malloc(size), size >= 0);
        } else if (roll < 36) {
            long alignment = alignmentOrBad();
            long size = sizeOrNegative();
            return allocation(new AlignedAlloc(alignment, size), size >= 0 && RawApiModel.isAlignment(alignment));
        } else if (roll < 45) {
            return new Realloc(position(), sizeOrNegative());
        } else if (roll < 50) {
            return new ReallocBy(position(), delta());
        } else if (roll < 52) {
            long size = sizeOrNegative();
            return allocation(new ReallocNull(size), size >= 0);
        } else if (roll < 78) {
            return free();
        } else if (roll < 82) {
            return new UsableSize(position());
        } else if (roll < 89) {
            return new Check(position());
        } else if (roll < 90) {
            return new Audit();
        } else if (roll < 96) {
            return new Interior(call(), position(), interiorOffset());
        } else if (roll < 98 || !checked) {
            return new Far(call(), Far.ADDRESSES[choices.nextInt(Far.ADDRESSES.length)]);
        }
        return new Stale(choices.nextInt(2) == 0 ? Call.FREE : Call.REALLOC, position());
    }

    private RawCommand free() {
        live = Math.max(0, live - 1);
        return new Free(position());
    }

    /** Returns {@code command}, counting the allocation it makes if its arguments are {@code valid}. */
    private RawCommand allocation(RawCommand command, boolean valid) {
        if (valid) {
            live++;
        }
        return command;
    }

    /**
     * Returns a position: three times in four among the newest 16 allocations (frees and reallocs of what was just
     * allocated are common, and such picks shrink well), else anywhere.
     */
    private int position() {
        return choices.nextInt(4) != 0 ? choices.nextInt(RECENT_POSITIONS) : choices.nextInt(POSITIONS);
    }

    private Call call() {
        return Call.values()[choices.nextInt(Call.values().length)];
    }

    private long sizeOrNegative() {
        if (choices.nextInt(40) != 0) {
            return size();
        }
        return switch (choices.nextInt(3)) {
            case 0 -> -1;
            case 1 -> -choices.nextLong(2, 1L << 40);
            default -> Long.MIN_VALUE;
        };
    }

    private long size() {
        int bucket = choices.nextInt(100);
        if (bucket < 70) {
            return choices.nextLong(0, 513);
        } else if (bucket < 90) {
            return choices.nextLong(513, 64 * KIB + 1);
        } else if (bucket < 97) {
            return choices.nextLong(64 * KIB + 1, MIB + 1);
        }
        return choices.nextLong(MIB + 1, largestSize + 1);
    }

    /** Returns a change of size by up to 64 B, 4 KiB or 1 MiB, growing or shrinking. */
    private long delta() {
        long most = switch (choices.nextInt(3)) {
            case 0 -> 64;
            case 1 -> 4 * KIB;
            default -> MIB;
        };
        return choices.nextLong(-most, most + 1);
    }

    /** Returns a power of two from 1 to 2 MiB, or, one time in eight, a bad alignment of one of four forms. */
    private long alignmentOrBad() {
        if (choices.nextInt(8) != 0) {
            return 1L << choices.nextInt(MAX_ALIGNMENT_SHIFT + 1);
        }
        return switch (choices.nextInt(4)) {
            case 0 -> 0;
            case 1 -> -(1L << choices.nextInt(Long.SIZE));
            case 2 -> {
                int high = 1 + choices.nextInt(40);
                yield (1L << high) | (1L << choices.nextInt(high));
            }
            default -> choices.nextLong(0, Long.MAX_VALUE) | 3;
        };
    }

    private long interiorOffset() {
        int pick = choices.nextInt(INTERIOR_OFFSETS.length + 1);
        return pick < INTERIOR_OFFSETS.length ? INTERIOR_OFFSETS[pick] : choices.nextLong(1, 4 * MIB);
    }
}
