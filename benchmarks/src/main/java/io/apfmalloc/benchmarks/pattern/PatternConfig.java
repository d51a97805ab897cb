package io.apfmalloc.benchmarks.pattern;

import static io.apfmalloc.benchmarks.harness.Settings.bytes;
import static io.apfmalloc.benchmarks.harness.Settings.comparedAllocators;
import static io.apfmalloc.benchmarks.harness.Settings.doubleValue;
import static io.apfmalloc.benchmarks.harness.Settings.intValue;
import static io.apfmalloc.benchmarks.harness.Settings.integers;
import static io.apfmalloc.benchmarks.harness.Settings.jvmModes;
import static io.apfmalloc.benchmarks.harness.Settings.labels;
import static io.apfmalloc.benchmarks.harness.Settings.listing;
import static io.apfmalloc.benchmarks.harness.Settings.outputDirectory;
import static io.apfmalloc.benchmarks.harness.Settings.words;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of an allocation-pattern benchmark run, each read from a {@code pattern.*} system property; an empty
 * value means the default. The defaults make the short run (about 5 minutes on two cores); {@code
 * -Dpattern.seconds=5 -Dpattern.repeats=5 -Dpattern.maxLiveBytes=16g} makes a long one.
 *
 * @param mixes            {@code pattern.mixes}: the size mixes, {@code proxy,gateway}
 * @param liveBuffers      {@code pattern.live}: live buffers per event loop, {@code 128,1024,8192,65536}
 * @param threads          {@code pattern.threads}: event loops replaying at once, {@code 1,2}
 * @param styles           {@code pattern.styles}: replay styles ({@link ReplayStyle}), {@code pages}; Netty's
 *                         microbenchmark's shape is {@code netty-direct,netty-heap,netty-direct-rw,netty-heap-rw}
 * @param modes            {@code pattern.modes}: JVM modes, {@code default,fast}
 * @param allocators       {@code pattern.allocators}: {@code apf,pooled,adaptive,unpooled}; ratios are to the best of
 *                         those other than {@code apf}
 * @param warmupSeconds    {@code pattern.warmup}: the unmeasured window of each cell, 0.2 by default
 * @param measureSeconds   {@code pattern.seconds}: the measured window of each cell, 0.5 by default
 * @param jitWarmupSeconds {@code pattern.jitWarmup}: an unmeasured cell of 128 live buffers on one loop that each
 *                         child runs first, for the JIT, 1 by default
 * @param repeats          {@code pattern.repeats}: child JVMs per allocator, mix and mode, interleaved, 2 by default
 * @param maxLiveBytes     {@code pattern.maxLiveBytes}: cells whose expected live bytes (buffers × threads × the
 *                         mix's mean size) exceed it are skipped, with a note: 4g by default, which skips the proxy
 *                         mix's 65,536 buffers on two loops (6.3 GiB)
 * @param jvmArgs          {@code pattern.jvmArgs}: extra flags of the child JVMs, space-separated, none by default
 * @param resultsDirectory {@code pattern.results}: where the CSV and the log go, {@code results} by default
 */
public record PatternConfig(List<TrafficMix> mixes, List<Integer> liveBuffers, List<Integer> threads,
                            List<ReplayStyle> styles, List<JvmMode> modes, List<ComparedAllocator> allocators,
                            double warmupSeconds, double measureSeconds, double jitWarmupSeconds, int repeats,
                            long maxLiveBytes, List<String> jvmArgs, Path resultsDirectory) {

    /** Checks the settings and copies the lists; live buffers and threads are sorted, smallest first. */
    public PatternConfig {
        mixes = List.copyOf(mixes);
        liveBuffers = liveBuffers.stream().sorted().toList();
        threads = threads.stream().sorted().toList();
        styles = List.copyOf(styles);
        modes = List.copyOf(modes);
        allocators = List.copyOf(allocators);
        jvmArgs = List.copyOf(jvmArgs);
        if (mixes.isEmpty() || liveBuffers.isEmpty() || threads.isEmpty() || styles.isEmpty() || modes.isEmpty()
            || allocators.isEmpty()) {
            throw new IllegalArgumentException("mixes, live, threads, styles, modes and allocators must not be empty");
        }
        if (liveBuffers.getFirst() < 1 || threads.getFirst() < 1 || repeats < 1 || maxLiveBytes < 1) {
            throw new IllegalArgumentException("live " + liveBuffers + ", threads " + threads + ", repeats "
                + repeats + ", maxLiveBytes " + maxLiveBytes + " (expected: all >= 1)");
        }
        if (!(measureSeconds > 0) || !(warmupSeconds >= 0) || !(jitWarmupSeconds >= 0)) {
            throw new IllegalArgumentException("seconds: measured " + measureSeconds + ", warm-up " + warmupSeconds
                + ", JIT warm-up " + jitWarmupSeconds + " (expected: measured > 0, warm-ups >= 0)");
        }
    }

    /** Returns the settings from the {@code pattern.*} system properties. */
    public static PatternConfig fromSystemProperties() {
        return new PatternConfig(
            labels("pattern.mixes", "proxy,gateway", TrafficMix.class),
            integers("pattern.live", "128,1024,8192,65536"),
            integers("pattern.threads", "1,2"),
            labels("pattern.styles", "pages", ReplayStyle.class),
            jvmModes("pattern.modes"),
            comparedAllocators("pattern.allocators"),
            doubleValue("pattern.warmup", 0.2),
            doubleValue("pattern.seconds", 0.5),
            doubleValue("pattern.jitWarmup", 1),
            intValue("pattern.repeats", 2),
            bytes("pattern.maxLiveBytes", "4g"),
            words("pattern.jvmArgs"),
            outputDirectory("pattern.results"));
    }

    /**
     * Returns the cells one child runs for {@code mix}, in order: live buffers, then threads, smallest first, then
     * the styles as given.
     */
    public List<ReplayCell> cells(TrafficMix mix) {
        return liveBuffers.stream().flatMap(live -> threads.stream().flatMap(threadCount -> styles.stream()
            .map(style -> new ReplayCell(mix, live, threadCount, warmupSeconds, measureSeconds, style)))).toList();
    }

    /** Returns whether {@code cell} fits {@link #maxLiveBytes}. */
    public boolean fits(ReplayCell cell) {
        return cell.expectedLiveBytes() <= maxLiveBytes;
    }

    /** Returns the settings as {@code pattern.*} property names and values, for the report. */
    public Map<String, String> asProperties() {
        return listing()
            .list("pattern.mixes", mixes)
            .list("pattern.live", liveBuffers)
            .list("pattern.threads", threads)
            .list("pattern.styles", styles)
            .list("pattern.modes", modes)
            .list("pattern.allocators", allocators)
            .value("pattern.warmup", warmupSeconds)
            .value("pattern.seconds", measureSeconds)
            .value("pattern.jitWarmup", jitWarmupSeconds)
            .value("pattern.repeats", repeats)
            .value("pattern.maxLiveBytes", maxLiveBytes)
            .words("pattern.jvmArgs", jvmArgs)
            .value("pattern.results", resultsDirectory)
            .properties();
    }
}
