package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the adapter's buffers: Jazzer's input, decoded into {@link BufferCommand}s, runs
 * through the same {@link BufferModel} as {@link ByteBufModelTest}'s random sequences (fresh allocator, checks after
 * every command, audit and memory at the end; a failure is shrunk and listed one command per line).
 *
 * <p>By default (the {@code fuzz-tests} Surefire execution) Jazzer only replays the seed corpus committed in
 * {@code src/test/resources/io/apfmalloc/netty/ByteBufModelFuzzTestInputs/commandSequencesMatchTheModel/}. To fuzz
 * for real, for five minutes (the duration is {@code jazzer.max_duration}, {@link FuzzTest#maxDuration} by default):
 * <pre>
 * JAZZER_FUZZ=1 mvn -B verify -pl allocator-core,netty-adapter -Dtest=ByteBufModelFuzzTest \
 *     -Djazzer.max_duration=5m -Djazzer.instrument='io.apfmalloc.**'
 * </pre>
 * Jazzer keeps the corpus it grows in {@code netty-adapter/.cifuzz-corpus/} (ignored by git) and writes a failing
 * input as {@code crash-…} into the inputs directory above; committed there, it becomes a regression input replayed by
 * every build. Each execution builds a fresh allocator and event loop and audits it at the end, so expect about ten
 * executions a second.
 *
 * <p>The fuzz JVM runs Netty as the others do, without Netty's fast mode (JDK 25's default mode, which Jazzer
 * needs no change of: its sanitizers only print the JDK's deprecation warning for their own use of it).
 */
@Tag("fuzz")
class ByteBufModelFuzzTest {
    /** Longer inputs are cut here, to keep one execution short. */
    private static final int MAX_COMMANDS = 200;

    @Test
    void nettyRunsWithoutUnsafeUnderJazzer() {
        assertFalse(PlatformDependent.hasUnsafe());
    }

    @FuzzTest(maxDuration = "5m")
    void commandSequencesMatchTheModel(FuzzedDataProvider data) {
        BufferCommand.Choices choices = new BufferCommand.Choices() {
            @Override
            public int nextInt(int bound) {
                return data.consumeInt(0, bound - 1);
            }

            @Override
            public long nextLong() {
                return data.consumeLong();
            }
        };
        List<BufferCommand> commands = new ArrayList<>();
        while (data.remainingBytes() > 0 && commands.size() < MAX_COMMANDS) {
            commands.add(BufferCommand.next(choices));
        }
        BufferModel.assertPasses(commands);
    }
}
