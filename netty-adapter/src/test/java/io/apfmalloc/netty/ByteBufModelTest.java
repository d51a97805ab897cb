package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.testing.TestSeeds;
import io.apfmalloc.netty.BufferCommand.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.PlatformDependent;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random command sequences over direct and heap buffers, run through {@link BufferModel}: each on a fresh allocator,
 * checked against the model after every command and audited at the end. A failure names the seed (replay with
 * {@code -Dapfmalloc.test.seed=…}) and lists the sequence shrunk to its smallest failing form. The calibration tests
 * plant a bug in the operations the model drives and show it is caught and shrunk to a handful of commands.
 */
class ByteBufModelTest {
    private static final int SEQUENCES = 100;
    private static final int COMMANDS_PER_SEQUENCE = 150;

    /** The model runs Netty as JDK 25 does by default, without Netty's fast mode. */
    @Test
    void nettyRunsWithoutUnsafe() {
        assertFalse(PlatformDependent.hasUnsafe());
    }

    @Test
    void randomSequencesMatchTheModel() {
        long seed = TestSeeds.seed();
        TestSeeds.run(seed, () -> {
            SplittableRandom random = new SplittableRandom(seed);
            for (int sequence = 0; sequence < SEQUENCES; sequence++) {
                BufferModel.assertPasses(BufferCommand.sequence(choices(random.split()), COMMANDS_PER_SEQUENCE));
            }
        });
    }

    /** Bugs planted in the operations, each with the most commands its shrunk sequence may keep. */
    enum PlantedBug {
        /**
         * A slice that starts one byte after where it was asked to: allocate, write, slice; and one more command
         * when the shrinker has simplified the allocation to capacity 0, which then needs a capacity change to hold
         * the write (seed 5412264547516879457 shrinks to allocate, capacity, slice, write).
         */
        SLICE_ONE_BYTE_OFF(4, new BufferModel.Operations() {
            @Override
            public ByteBuf slice(ByteBuf buffer, int index, int length, boolean retained) {
                int shifted = index + length < buffer.capacity() ? index + 1 : index;
                return retained ? buffer.retainedSlice(shifted, length) : buffer.slice(shifted, length);
            }
        }),
        /** A release of a heap buffer that claims to free it but does nothing: allocate, release. */
        RELEASE_SKIPPED(2, new BufferModel.Operations() {
            @Override
            public boolean release(ByteBuf buffer) {
                return buffer.isDirect() ? buffer.release() : buffer.refCnt() == 1;
            }
        }),
        /** A wrapper that leaks a block for each direct buffer allocated on an event loop: one allocation. */
        BLOCK_LEAKED_ON_EVENT_LOOP(1, new BufferModel.Operations() {
            @Override
            public ByteBuf allocate(ApfByteBufAllocator allocator, Kind kind, int capacity, int maxCapacity) {
                ByteBuf buffer = BufferModel.Operations.NETTY.allocate(allocator, kind, capacity, maxCapacity);
                if (buffer.isDirect() && FastThreadLocalThread.currentThreadWillCleanupFastThreadLocals()) {
                    allocator.directBuffer(capacity);
                }
                return buffer;
            }
        });

        final int maxShrunkCommands;
        final BufferModel.Operations operations;

        PlantedBug(int maxShrunkCommands, BufferModel.Operations operations) {
            this.maxShrunkCommands = maxShrunkCommands;
            this.operations = operations;
        }
    }

    @ParameterizedTest
    @EnumSource(PlantedBug.class)
    void aPlantedBugIsCaughtAndShrunkToAHandfulOfCommands(PlantedBug bug) {
        long seed = TestSeeds.seed();
        TestSeeds.run(seed, () -> {
            SplittableRandom random = new SplittableRandom(seed);
            List<BufferCommand> failing = null;
            for (int attempt = 0; attempt < 20 && failing == null; attempt++) {
                List<BufferCommand> commands = BufferCommand.sequence(choices(random.split()), COMMANDS_PER_SEQUENCE);
                if (BufferModel.failureOf(commands, bug.operations) != null) {
                    failing = commands;
                }
            }
            assertNotNull(failing, "the planted bug is caught within 20 sequences");
            BufferModel.Shrunk shrunk = BufferModel.shrink(failing, bug.operations);
            assertNotNull(shrunk.failure(), "the shrunk sequence still fails");
            assertTrue(shrunk.commands().size() <= bug.maxShrunkCommands, () -> "shrunk in " + shrunk.replays()
                + " replays to " + shrunk.commands().size() + " commands:\n" + shrunk.listing());
        });
    }

    /** Choices from a seeded generator. */
    static BufferCommand.Choices choices(SplittableRandom random) {
        return new BufferCommand.Choices() {
            @Override
            public int nextInt(int bound) {
                return random.nextInt(bound);
            }

            @Override
            public long nextLong() {
                return random.nextLong();
            }
        };
    }
}
