package io.apfmalloc.benchmarks.footprint;

import static io.apfmalloc.benchmarks.harness.Settings.bytes;
import static io.apfmalloc.benchmarks.harness.Settings.comparedAllocators;
import static io.apfmalloc.benchmarks.harness.Settings.doubleValue;
import static io.apfmalloc.benchmarks.harness.Settings.intValue;
import static io.apfmalloc.benchmarks.harness.Settings.jvmModes;
import static io.apfmalloc.benchmarks.harness.Settings.label;
import static io.apfmalloc.benchmarks.harness.Settings.labels;
import static io.apfmalloc.benchmarks.harness.Settings.longValue;
import static io.apfmalloc.benchmarks.harness.Settings.outputDirectory;
import static io.apfmalloc.benchmarks.harness.Settings.words;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import io.apfmalloc.benchmarks.pattern.TrafficMix;
import java.nio.file.Path;
import java.util.List;

/**
 * The settings of a footprint benchmark run, each read from a {@code footprint.*} system property; an empty value
 * means the default. The defaults make the short run (about 3 minutes); {@code -Dfootprint.idle=300
 * -Dfootprint.live=1g} makes a long one.
 *
 * @param mix              {@code footprint.mix}: the size mix of the burst, {@code gateway}
 * @param liveBytes        {@code footprint.live}: the burst's live total over all loops, {@code 256m}
 * @param threads          {@code footprint.threads}: event loops allocating, 2
 * @param holdSeconds      {@code footprint.hold}: how long the burst stays live, 2
 * @param idleSeconds      {@code footprint.idle}: how long the run watches after the release, 32 (the table's
 *                         last column is 30 s after it)
 * @param trimSeconds      {@code footprint.trim}: how long it watches after asking each loop to trim, 3
 * @param sampleMillis     {@code footprint.sampleMillis}: the sampling period, 250
 * @param releases         {@code footprint.releases}: who releases, {@code loop,other} ({@link Release})
 * @param modes            {@code footprint.modes}: JVM modes, {@code default,fast}
 * @param allocators       {@code footprint.allocators}: {@code apf,pooled,adaptive,unpooled}
 * @param jvmArgs          {@code footprint.jvmArgs}: extra flags of the child JVMs, space-separated, none
 * @param resultsDirectory {@code footprint.results}: where the CSV, the chart and the log go, {@code results}
 */
public record FootprintConfig(TrafficMix mix, long liveBytes, int threads, double holdSeconds, double idleSeconds,
                              double trimSeconds, long sampleMillis, List<Release> releases, List<JvmMode> modes,
                              List<ComparedAllocator> allocators, List<String> jvmArgs, Path resultsDirectory) {

    /** Checks the settings (the figures by making a plan of them) and copies the lists. */
    public FootprintConfig {
        releases = List.copyOf(releases);
        modes = List.copyOf(modes);
        allocators = List.copyOf(allocators);
        jvmArgs = List.copyOf(jvmArgs);
        if (releases.isEmpty() || modes.isEmpty() || allocators.isEmpty()) {
            throw new IllegalArgumentException("releases, modes and allocators must not be empty");
        }
        new FootprintPlan(mix, liveBytes, threads, holdSeconds, releases.getFirst(), idleSeconds, trimSeconds,
            sampleMillis);
    }

    /** Returns the settings from the {@code footprint.*} system properties. */
    public static FootprintConfig fromSystemProperties() {
        return new FootprintConfig(
            label("footprint.mix", "gateway", TrafficMix.class),
            bytes("footprint.live", "256m"),
            intValue("footprint.threads", 2),
            doubleValue("footprint.hold", 2),
            doubleValue("footprint.idle", 32),
            doubleValue("footprint.trim", 3),
            longValue("footprint.sampleMillis", 250),
            labels("footprint.releases", "loop,other", Release.class),
            jvmModes("footprint.modes"),
            comparedAllocators("footprint.allocators"),
            words("footprint.jvmArgs"),
            outputDirectory("footprint.results"));
    }

    /** Returns the plan every child of a {@code release} group runs. */
    public FootprintPlan plan(Release release) {
        return new FootprintPlan(mix, liveBytes, threads, holdSeconds, release, idleSeconds, trimSeconds,
            sampleMillis);
    }
}
