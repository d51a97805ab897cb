package io.apfmalloc.benchmarks.echo;

import static io.apfmalloc.benchmarks.BenchmarkProperties.list;
import static io.apfmalloc.benchmarks.BenchmarkProperties.property;

import io.apfmalloc.benchmarks.JvmMode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

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
 * @param warmupSeconds {@code echo.warmup}: unmeasured load before each measured window, 0.5 by
 *                      default (servers and client are already warm; this lets caches settle on the size)
 * @param measureSeconds {@code echo.seconds}: each measured window, 1.5 by default
 * @param serverWarmupSeconds {@code echo.serverWarmup}: unmeasured load each fresh server gets first (JIT
 *                            compilation), 2 by default
 * @param repeats {@code echo.repeats}: measured runs per allocator and configuration, interleaved, 2 by default
 * @param serverThreads {@code echo.serverThreads}: the server's event-loop threads, 1 by default
 * @param clientThreads {@code echo.clientThreads}: the client's event-loop threads, 1 by default
 * @param serverJvmArgs {@code echo.serverJvmArgs}: extra server JVM flags, space-separated, none by default
 * @param resultsDirectory {@code echo.results}: where the CSV, JSON and PNG go, {@code results} by default
 */
public record EchoConfig(List<Integer> sizes, List<EchoTransport> transports, List<JvmMode> modes,
                         List<EchoAllocator> allocators, int connections, int inFlight, double warmupSeconds,
                         double measureSeconds, double serverWarmupSeconds, int repeats, int serverThreads,
                         int clientThreads, List<String> serverJvmArgs, Path resultsDirectory) {

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
            list("echo.transports", "nio,epoll", EchoTransport::of),
            list("echo.modes", "default,fast", JvmMode::of),
            list("echo.allocators", "apf,pooled,adaptive,unpooled", EchoAllocator::of),
            Integer.parseInt(property("echo.connections", "16")),
            Integer.parseInt(property("echo.inflight", "4")),
            Double.parseDouble(property("echo.warmup", "0.5")),
            Double.parseDouble(property("echo.seconds", "1.5")),
            Double.parseDouble(property("echo.serverWarmup", "2")),
            Integer.parseInt(property("echo.repeats", "2")),
            Integer.parseInt(property("echo.serverThreads", "1")),
            Integer.parseInt(property("echo.clientThreads", "1")),
            property("echo.serverJvmArgs", "").isBlank() ? List.of()
                : List.of(property("echo.serverJvmArgs", "").trim().split("\\s+")),
            Path.of(property("echo.results", "results")));
    }

    /** Parses {@code 256}, {@code 4k}, {@code 4KiB}, {@code 1m}: bytes, with binary {@code k} and {@code m}. */
    static int parseSize(String text) {
        String size = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        int unit = 1;
        if (size.endsWith("k")) {
            unit = 1 << 10;
        } else if (size.endsWith("m")) {
            unit = 1 << 20;
        }
        String digits = unit == 1 ? size : size.substring(0, size.length() - 1);
        return Math.multiplyExact(Integer.parseInt(digits.trim()), unit);
    }

    /** Formats a size as {@link #parseSize} reads it: {@code 256 B}, {@code 4 KiB}, {@code 64 KiB}, {@code 1 MiB}. */
    static String formatSize(int bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }

    /** Returns the settings as {@code echo.*} property names and values, for the report. */
    public Map<String, String> asProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("echo.sizes", sizes.stream().map(String::valueOf).collect(Collectors.joining(",")));
        properties.put("echo.transports", transports.stream().map(EchoTransport::label)
            .collect(Collectors.joining(",")));
        properties.put("echo.modes", modes.stream().map(JvmMode::label).collect(Collectors.joining(",")));
        properties.put("echo.allocators", allocators.stream().map(EchoAllocator::label)
            .collect(Collectors.joining(",")));
        properties.put("echo.connections", String.valueOf(connections));
        properties.put("echo.inflight", String.valueOf(inFlight));
        properties.put("echo.warmup", String.valueOf(warmupSeconds));
        properties.put("echo.seconds", String.valueOf(measureSeconds));
        properties.put("echo.serverWarmup", String.valueOf(serverWarmupSeconds));
        properties.put("echo.repeats", String.valueOf(repeats));
        properties.put("echo.serverThreads", String.valueOf(serverThreads));
        properties.put("echo.clientThreads", String.valueOf(clientThreads));
        properties.put("echo.serverJvmArgs", String.join(" ", serverJvmArgs));
        properties.put("echo.results", resultsDirectory.toString());
        return properties;
    }
}
