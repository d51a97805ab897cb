package io.apfmalloc.benchmarks.footprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.EventLoops;
import io.apfmalloc.benchmarks.JvmMode;
import io.apfmalloc.benchmarks.pattern.TrafficMix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A tiny footprint run in this JVM with every allocator and both releases: phases, samples, live bytes. */
class FootprintTimelineTest {
    private static final long LIVE_BYTES = 4 << 20;
    @RegisterExtension
    static final EventLoops LOOPS = new EventLoops(2, "footprint-test-loop");

    @ParameterizedTest
    @EnumSource(ComparedAllocator.class)
    void runsEveryPhaseAndSamplesHeldMemoryThroughout(ComparedAllocator kind) throws Exception {
        for (Release release : Release.values()) {
            FootprintPlan plan = new FootprintPlan(TrafficMix.GATEWAY, LIVE_BYTES, 2, 0.1, release, 0.3, 0.1, 20);
            List<FootprintSample> samples = Collections.synchronizedList(new ArrayList<>());
            Map<Phase, Long> phases = new EnumMap<>(Phase.class);

            FootprintTimeline.run(kind, kind.create(), LOOPS.loops(), plan, samples::add, phases::put);

            FootprintRun run = new FootprintRun(JvmMode.DEFAULT, release, kind, samples, phases);
            assertEquals(List.of(Phase.values()), List.copyOf(phases.keySet()), "every phase, in order");
            for (Phase phase : Phase.values()) {
                assertTrue(samples.stream().anyMatch(sample -> sample.phase() == phase), "sampled in " + phase);
            }
            assertTrue(run.peakBeforeRelease(FootprintSample::liveBytes) >= LIVE_BYTES, "the burst's live total");
            assertTrue(run.peakBeforeRelease(FootprintSample::heldBytes) > 0, "held memory sampled");
            assertTrue(run.peakBeforeRelease(FootprintSample::rssBytes) > 0, "resident set sampled");
            assertEquals(0, run.afterTrim(FootprintSample::liveBytes), "everything released");
            assertTrue(run.afterRelease(0.2, FootprintSample::heldBytes).isPresent(), "sampled after the release");
            if (kind == ComparedAllocator.APF || kind == ComparedAllocator.UNPOOLED) {
                assertEquals(0, run.afterTrim(FootprintSample::heldBytes), "held memory after the trim");
            }
        }
    }
}
