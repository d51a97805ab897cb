package io.apfmalloc.benchmarks.echo;

import static io.apfmalloc.benchmarks.harness.Settings.booleanValue;
import static io.apfmalloc.benchmarks.harness.Settings.comparedAllocators;
import static io.apfmalloc.benchmarks.harness.Settings.doubleValue;
import static io.apfmalloc.benchmarks.harness.Settings.intValue;
import static io.apfmalloc.benchmarks.harness.Settings.jvmModes;
import static io.apfmalloc.benchmarks.harness.Settings.labels;
import static io.apfmalloc.benchmarks.harness.Settings.list;
import static io.apfmalloc.benchmarks.harness.Settings.listing;
import static io.apfmalloc.benchmarks.harness.Settings.outputDirectory;
import static io.apfmalloc.benchmarks.harness.Settings.words;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import io.apfmalloc.benchmarks.harness.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of an echo benchmark run, each read from an {@code echo.*} system property; an empty value means
 * the default. The defaults make the short run (a few minutes on two cores); {@code -Decho.seconds=30
 * -Decho.repeats=5} makes a long one.
 *
 * @param sizes {@code echo.sizes}: message sizes, {@code 256,4k,64k} by default ({@code k} and {@code m} are
 *              binary)
 * @param transports {@code echo.transports}: {@code nio,epoll}; epoll is skipped, with the reason, where it is not
 *                   available
 * @param modes {@code echo.modes}: JVM modes of the server, {@code default,fast}
 * @param allocators {@code echo.allocators}: server allocators, {@code apf,pooled,adaptive,unpooled}; ratios are to
 *                   the best of those other than {@code apf}
 * @param connections {@code echo.connections}: connections per run, 16 by default
 * @param inFlight {@code echo.inflight}: messages in flight per connection, 4 by default
 * @param warmupSeconds {@code echo.warmup}: unmeasured load before each measured window, 0.25 by
 *                      default (servers and client are already warm; this lets caches settle on the size)
 * @param measureSeconds {@code echo.seconds}: each measured window, 0.75 by default: more, shorter repeats give a
 *                       narrower confidence interval in the same time than fewer long ones
 * @param serverWarmupSeconds {@code echo.serverWarmup}: unmeasured load each fresh server gets first (JIT
 *                            compilation), 2 by default
 * @param repeats {@code echo.repeats}: measured runs per allocator and configuration, interleaved, 5 by default
 *                (the pairs behind each ratio's confidence interval)
 * @param serverThreads {@code echo.serverThreads}: the server's event-loop threads, 1 by default
 * @param clientThreads {@code echo.clientThreads}: the client's event-loop threads, 1 by default
 * @param pinCpus {@code echo.pin}: pin the client to CPU 0 and the servers to CPU 1 with {@code taskset} where it
 *                is present, {@code true} by default
 * @param serverJvmArgs {@code echo.serverJvmArgs}: extra server JVM flags, space-separated, none by default
 * @param resultsDirectory {@code echo.results}: where the CSV, JSON and PNG go, {@code results} by default
 */
public record EchoConfig(List<Integer> sizes, List<EchoTransport> transports, List<JvmMode> modes,
                         List<ComparedAllocator> allocators, int connections, int inFlight, double warmupSeconds,
                         double measureSeconds, double serverWarmupSeconds, int repeats, int serverThreads,
                         int clientThreads, boolean pinCpus, List<String> serverJvmArgs, Path resultsDirectory) {

    /** Checks the settings and copies the lists. */
    public EchoConfig {
        sizes = List.copyOf(sizes);
        transports = List.copyOf(transports);
        modes = List.copyOf(modes);
        allocators = List.copyOf(allocators);
        serverJvmArgs = List.copyOf(serverJvmArgs);
        if (sizes.isEmpty() || transports.isEmpty() || modes.isEmpty() || allocators.isEmpty()) {
            throw new IllegalArgumentException("sizes, transports, modes and allocators must not be empty");
        }
        for (int size : sizes) {
            positive("size", size);
        }
        positive("connections", connections);
        positive("inFlight", inFlight);
        positive("repeats", repeats);
        positive("serverThreads", serverThreads);
        positive("clientThreads", clientThreads);
        if (!(measureSeconds > 0) || !(warmupSeconds >= 0) || !(serverWarmupSeconds >= 0)) {
            throw new IllegalArgumentException("seconds: measured " + measureSeconds + ", warm-up " + warmupSeconds
                + ", server warm-up " + serverWarmupSeconds + " (expected: measured > 0, warm-ups >= 0)");
        }
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
        }
    }

    /** Returns the settings from the {@code echo.*} system properties. */
    public static EchoConfig fromSystemProperties() {
        return new EchoConfig(
            list("echo.sizes", "256,4k,64k", EchoConfig::parseSize),
            labels("echo.transports", "nio,epoll", EchoTransport.class),
            jvmModes("echo.modes"),
            comparedAllocators("echo.allocators"),
            intValue("echo.connections", 16),
            intValue("echo.inflight", 4),
            doubleValue("echo.warmup", 0.25),
            doubleValue("echo.seconds", 0.75),
            doubleValue("echo.serverWarmup", 2),
            intValue("echo.repeats", 5),
            intValue("echo.serverThreads", 1),
            intValue("echo.clientThreads", 1),
            booleanValue("echo.pin", true),
            words("echo.serverJvmArgs"),
            outputDirectory("echo.results"));
    }

    /** Parses {@code 256}, {@code 4k}, {@code 4KiB}, {@code 1m}: bytes, with binary {@code k} and {@code m}. */
    static int parseSize(String text) {
        return Math.toIntExact(Settings.parseBytes("echo.sizes", text));
    }

    /** Formats a size as {@link #parseSize} reads it: {@code 256 B}, {@code 4 KiB}, {@code 64 KiB}, {@code 1 MiB}. */
    static String formatSize(int bytes) {
        return Settings.formatBytes(bytes);
    }

    /** Returns the settings as {@code echo.*} property names and values, for the report. */
    public Map<String, String> asProperties() {
        return listing()
            .list("echo.sizes", sizes)
            .list("echo.transports", transports)
            .list("echo.modes", modes)
            .list("echo.allocators", allocators)
            .value("echo.connections", connections)
            .value("echo.inflight", inFlight)
            .value("echo.warmup", warmupSeconds)
            .value("echo.seconds", measureSeconds)
            .value("echo.serverWarmup", serverWarmupSeconds)
            .value("echo.repeats", repeats)
            .value("echo.serverThreads", serverThreads)
            .value("echo.clientThreads", clientThreads)
            .value("echo.pin", pinCpus)
            .words("echo.serverJvmArgs", serverJvmArgs)
            .value("echo.results", resultsDirectory)
            .properties();
    }
}
