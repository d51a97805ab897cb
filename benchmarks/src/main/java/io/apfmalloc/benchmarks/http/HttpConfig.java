package io.apfmalloc.benchmarks.http;

import static io.apfmalloc.benchmarks.harness.Settings.booleanValue;
import static io.apfmalloc.benchmarks.harness.Settings.comparedAllocators;
import static io.apfmalloc.benchmarks.harness.Settings.intValue;
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
 * The settings of an HTTP benchmark run, each read from an {@code http.*} system property; an empty value means the
 * default. The defaults make the short run (8 to 10 minutes on two cores); {@code -Dhttp.seconds=10
 * -Dhttp.repeats=5} makes a long one.
 *
 * @param modes {@code http.modes}: JVM modes of the server, {@code default,fast}
 * @param protocols {@code http.protocols}: {@code http1,h2-jdk,h2-openssl}; one whose tool or TLS library is missing
 *                  is skipped, with the reason
 * @param routes {@code http.routes}: {@code small,large,echo}
 * @param allocators {@code http.allocators}: server allocators, {@code apf,pooled,adaptive,unpooled}; ratios are to
 *                   the best of those other than {@code apf}
 * @param connections {@code http.connections}: connections the load generator keeps open, 16 by default
 * @param streams {@code http.streams}: HTTP/2 streams in flight per connection, 4 by default
 * @param warmupSeconds {@code http.warmup}: an unmeasured run of the tool before each measured one, 1 s by default
 *                      (0: none)
 * @param measureSeconds {@code http.seconds}: each measured run, 2 s by default (whole seconds: wrk takes no
 *                       fractions)
 * @param serverWarmupSeconds {@code http.serverWarmup}: unmeasured load on every route each fresh server gets
 *                            first (JIT compilation), 1 s per route by default
 * @param repeats {@code http.repeats}: measured runs per allocator and configuration, interleaved, 2 by default
 * @param pin {@code http.pin}: the server on CPU 0 and the load generator on the others, with {@code taskset}, where
 *            it is installed and the machine has two CPUs or more; {@code true} by default
 * @param serverJvmArgs {@code http.serverJvmArgs}: extra server JVM flags, space-separated, none by default
 * @param resultsDirectory {@code http.results}: where the CSV, JSON and PNG go, {@code results} by default
 */
public record HttpConfig(List<JvmMode> modes, List<HttpProtocol> protocols, List<HttpRoute> routes,
                         List<ComparedAllocator> allocators, int connections, int streams, int warmupSeconds,
                         int measureSeconds, int serverWarmupSeconds, int repeats, boolean pin,
                         List<String> serverJvmArgs, Path resultsDirectory) {

    /** Checks the settings and copies the lists. */
    public HttpConfig {
        modes = List.copyOf(modes);
        protocols = List.copyOf(protocols);
        routes = List.copyOf(routes);
        allocators = List.copyOf(allocators);
        serverJvmArgs = List.copyOf(serverJvmArgs);
        if (modes.isEmpty() || protocols.isEmpty() || routes.isEmpty() || allocators.isEmpty()) {
            throw new IllegalArgumentException("modes, protocols, routes and allocators must not be empty");
        }
        atLeast("connections", connections, 1);
        atLeast("streams", streams, 1);
        atLeast("seconds", measureSeconds, 1);
        atLeast("warmup", warmupSeconds, 0);
        atLeast("serverWarmup", serverWarmupSeconds, 0);
        atLeast("repeats", repeats, 1);
    }

    private static void atLeast(String name, long value, long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + minimum + ")");
        }
    }

    /** Returns the settings from the {@code http.*} system properties. */
    public static HttpConfig fromSystemProperties() {
        return new HttpConfig(
            jvmModes("http.modes"),
            labels("http.protocols", "http1,h2-jdk,h2-openssl", HttpProtocol.class),
            labels("http.routes", "small,large,echo", HttpRoute.class),
            comparedAllocators("http.allocators"),
            intValue("http.connections", 16),
            intValue("http.streams", 4),
            intValue("http.warmup", 1),
            intValue("http.seconds", 2),
            intValue("http.serverWarmup", 1),
            intValue("http.repeats", 2),
            booleanValue("http.pin", true),
            words("http.serverJvmArgs"),
            outputDirectory("http.results"));
    }

    /** Returns the settings as {@code http.*} property names and values, for the report. */
    public Map<String, String> asProperties() {
        return listing()
            .list("http.modes", modes)
            .list("http.protocols", protocols)
            .list("http.routes", routes)
            .list("http.allocators", allocators)
            .value("http.connections", connections)
            .value("http.streams", streams)
            .value("http.warmup", warmupSeconds)
            .value("http.seconds", measureSeconds)
            .value("http.serverWarmup", serverWarmupSeconds)
            .value("http.repeats", repeats)
            .value("http.pin", pin)
            .words("http.serverJvmArgs", serverJvmArgs)
            .value("http.results", resultsDirectory)
            .properties();
    }
}
