package io.apfmalloc.core;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.apfmalloc.core.RawApiModel.Setup;
import io.apfmalloc.core.RawCommand.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Tag;

/**
 * The model test of the raw API ({@link RawApiModel}) driven by Jazzer: the fuzzer's bytes choose the allocator
 * (off-heap or heap, checked or not, APF or lrmalloc's policy) and then, through {@link RawCommandGenerator}, the
 * sequence of commands (thread, kind, sizes, positions), which runs on three worker threads with the model's checks
 * after every command and the heap audit, frees and empty trim at the end.
 *
 * <p>Without {@code JAZZER_FUZZ} (as in {@code mvn verify}) it runs the committed inputs in
 * {@code src/test/resources/io/apfmalloc/core/RawApiFuzzTestInputs/commandSequencesAgreeWithTheModel/} and the empty
 * input, as regression tests. To fuzz, from the repository root (findings are written to that directory, the corpus
 * Jazzer grows to {@code allocator-core/.cifuzz-corpus/}):
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -pl allocator-core verify -Dtest=RawApiFuzzTest -Djazzer.max_duration=30m
 * </pre>
 * {@code jazzer.max_duration} overrides the annotation's 2 minutes ({@code -Djazzer.max_executions=N} bounds the
 * runs instead, counting the replay of the corpus grown so far). About 15 inputs run per second on a 2-core machine:
 * each is a fresh allocator, three threads and up to 400 commands. A finding fails the test, prints the decoded
 * sequence and is saved as {@code crash-<sha1>} among the inputs, where the regression run replays it from then on.
 */
@Tag("fuzz")
class RawApiFuzzTest {
    /** Commands one input decodes to at most; as long as the model test's longest sequences. */
    private static final int MAX_STEPS = 400;

    @FuzzTest(maxDuration = "2m")
    void commandSequencesAgreeWithTheModel(FuzzedDataProvider data) {
        Setup setup = new Setup(data.consumeBoolean() ? MemoryKind.HEAP : MemoryKind.OFF_HEAP, data.consumeBoolean(),
            data.consumeBoolean() ? TuningPolicy.LRMALLOC : TuningPolicy.APF);
        RawCommandGenerator generator = new RawCommandGenerator(new FuzzedChoices(data), setup);
        List<Step> steps = new ArrayList<>();
        while (data.remainingBytes() > 0 && steps.size() < MAX_STEPS) {
            steps.add(generator.next());
        }
        try {
            RawApiModel.replay(setup, steps);
        } catch (AssertionError failure) {
            throw new AssertionError(setup + ", " + steps.size() + " commands:" + Step.lines(steps)
                + System.lineSeparator() + failure.getMessage(), failure);
        }
    }

    /** The fuzzer's bytes as the choices {@link RawCommandGenerator} makes; each call consumes a few of them. */
    private record FuzzedChoices(FuzzedDataProvider data) implements RandomGenerator {
        @Override
        public long nextLong() {
            return data.consumeLong();
        }

        @Override
        public int nextInt(int bound) {
            return data.consumeInt(0, bound - 1);
        }

        @Override
        public long nextLong(long origin, long bound) {
            return data.consumeLong(origin, bound - 1);
        }
    }
}
