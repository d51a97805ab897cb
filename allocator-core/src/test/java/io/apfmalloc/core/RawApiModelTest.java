package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.RawApiModel.Setup;
import io.apfmalloc.core.RawCommand.Step;
import io.apfmalloc.core.testing.RawApi;
import io.apfmalloc.core.testing.SequenceShrinker;
import io.apfmalloc.core.testing.TestSeeds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Model-based tests of the raw API: random sequences of malloc, aligned alloc, realloc, free, usable-size and content
 * checks and bad input, spread over three worker threads but run one command at a time so that they replay exactly,
 * checked against {@link RawApiModel} after every command and against the heap audit at the end. A failing sequence
 * is shrunk ({@link SequenceShrinker}) to a minimal one, printed one command per line.
 *
 * <p>Replay a failure with {@code -Dapfmalloc.test.seed=<seed>} (the failure names it); the sequences of a seed
 * depend only on the seed and the constants here.
 */
class RawApiModelTest {
    /** Sequences per configuration: 200 in all, 10 to 20 s on the shared 2-core machine, depending on its load. */
    private static final int SEQUENCES = 50;
    private static final int MIN_LENGTH = 200;
    private static final int MAX_LENGTH = 400;
    /** Replays a shrink may spend; a sequence of 400 commands takes a few hundred. */
    private static final int MAX_SHRINK_REPLAYS = 3000;
    /** Random sequences to try against a planted bug before concluding the model misses it. */
    private static final int PLANTED_BUG_ATTEMPTS = 20;

    @ParameterizedTest(name = "{0}, checked={1}")
    @CsvSource({"OFF_HEAP, false", "OFF_HEAP, true", "HEAP, false", "HEAP, true"})
    void randomSequencesAgreeWithTheModel(MemoryKind kind, boolean checked) {
        long seed = TestSeeds.seed();
        TestSeeds.run(seed, () -> {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < SEQUENCES; i++) {
                Setup setup = new Setup(kind, checked, i % 2 == 0 ? TuningPolicy.APF : TuningPolicy.LRMALLOC);
                int length = random.nextInt(MIN_LENGTH, MAX_LENGTH + 1);
                List<Step> steps = new RawCommandGenerator(random.split(), setup).steps(length);
                Throwable failure = failureOf(setup, steps);
                if (failure != null) {
                    throw shrunkFailure(setup, "sequence " + i, steps, failure);
                }
            }
        });
    }

    @ParameterizedTest
    @EnumSource(PlantedBug.class)
    void aPlantedBugIsCaughtAndShrunkToAFewCommands(PlantedBug bug) {
        long seed = TestSeeds.seed();
        TestSeeds.run(seed, () -> {
            Setup broken = new Setup(MemoryKind.OFF_HEAP, false, TuningPolicy.APF, bug::wrap);
            SplittableRandom random = new SplittableRandom(seed);
            List<Step> failing = null;
            for (int i = 0; i < PLANTED_BUG_ATTEMPTS && failing == null; i++) {
                List<Step> steps = new RawCommandGenerator(random.split(), broken).steps(MIN_LENGTH);
                failing = failureOf(broken, steps) == null ? null : steps;
            }
            assertNotNull(failing, () -> "the model missed " + bug + " in " + PLANTED_BUG_ATTEMPTS + " sequences");

            SequenceShrinker<Step> shrinker = shrinker(broken);
            List<Step> shrunk = shrinker.shrink(failing);
            String printed = Step.lines(shrunk);
            assertTrue(shrunk.size() <= 3, () -> bug + ": shrunk to " + shrunk.size() + " commands:" + printed);
            Setup real = new Setup(broken.kind(), broken.checked(), broken.policy());
            assertNull(failureOf(real, shrunk), () -> "the real allocator fails the shrunk sequence too:" + printed);
            System.out.println(bug + ", caught and shrunk in " + shrinker.runs() + " replays to:" + printed);
        });
    }

    /** Bugs planted in a wrapper of the real allocator, to show that the model and the shrinker work. */
    enum PlantedBug {
        /** A realloc that moves the block loses the last byte it should copy, as if it copied one byte too few. */
        REALLOC_LOSES_LAST_BYTE {
            @Override
            RawApi wrap(ApfAllocator allocator) {
                return new RawApi.Direct(allocator) {
                    @Override
                    public long realloc(long address, long size) {
                        long kept = address == 0 || size < 0 ? 0 : Math.min(usableSize(address), size);
                        long moved = super.realloc(address, size);
                        if (moved != 0 && moved != address && kept > 0) {
                            MemorySegment last = segment(moved + kept - 1, 1);
                            last.set(ValueLayout.JAVA_BYTE, 0, (byte) ~last.get(ValueLayout.JAVA_BYTE, 0));
                        }
                        return moved;
                    }
                };
            }
        },
        /** A block freed by a thread other than the one that allocated it is never given back. */
        CROSS_THREAD_FREE_LEAKS {
            @Override
            RawApi wrap(ApfAllocator allocator) {
                return new RawApi.Direct(allocator) {
                    private final Map<Long, Thread> allocatedBy = new ConcurrentHashMap<>();

                    private long allocatedHere(long address) {
                        if (address != 0) {
                            allocatedBy.put(address, Thread.currentThread());
                        }
                        return address;
                    }

                    @Override
                    public long malloc(long size) {
                        return allocatedHere(super.malloc(size));
                    }

                    @Override
                    public long alignedAlloc(long alignment, long size) {
                        return allocatedHere(super.alignedAlloc(alignment, size));
                    }

                    @Override
                    public long realloc(long address, long size) {
                        long moved = super.realloc(address, size);
                        allocatedBy.remove(address);
                        return allocatedHere(moved);
                    }

                    @Override
                    public void free(long address) {
                        Thread owner = allocatedBy.remove(address);
                        if (owner == null || owner == Thread.currentThread()) {
                            super.free(address);
                        }
                    }
                };
            }
        };

        /** Returns {@code allocator}'s raw API with this bug. */
        abstract RawApi wrap(ApfAllocator allocator);
    }

    /** Replays {@code steps}; returns what failed, or null. */
    private static Throwable failureOf(Setup setup, List<Step> steps) {
        try {
            RawApiModel.replay(setup, steps);
            return null;
        } catch (AssertionError failure) {
            return failure;
        }
    }

    private static SequenceShrinker<Step> shrinker(Setup setup) {
        return new SequenceShrinker<>(steps -> failureOf(setup, steps) != null, Step::simpler, MAX_SHRINK_REPLAYS);
    }

    /** Shrinks the failing {@code steps} and returns an error that prints the minimal sequence and its failure. */
    private static AssertionError shrunkFailure(Setup setup, String name, List<Step> steps, Throwable failure) {
        SequenceShrinker<Step> shrinker = shrinker(setup);
        List<Step> shrunk = shrinker.shrink(steps);
        Throwable minimal = failureOf(setup, shrunk);
        AssertionError error = new AssertionError(String.format(
            "%s (%s), %d commands, failed; shrunk in %d replays to %d commands:%s%nwhich fail with: %s", name, setup,
            steps.size(), shrinker.runs(), shrunk.size(), Step.lines(shrunk), minimal == null ? "(nothing)" : minimal),
            minimal);
        error.addSuppressed(failure);
        return error;
    }
}
