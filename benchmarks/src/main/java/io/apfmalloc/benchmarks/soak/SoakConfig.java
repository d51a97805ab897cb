package io.apfmalloc.benchmarks.soak;

import static io.apfmalloc.benchmarks.harness.Settings.doubleValue;
import static io.apfmalloc.benchmarks.harness.Settings.intValue;
import static io.apfmalloc.benchmarks.harness.Settings.label;
import static io.apfmalloc.benchmarks.harness.Settings.longValue;
import static io.apfmalloc.benchmarks.harness.Settings.outputDirectory;
import static io.apfmalloc.benchmarks.harness.Settings.property;

import io.apfmalloc.benchmarks.echo.EchoTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The soak's settings, each from a {@code soak.*} system property (an empty value takes the default).
 *
 * @param duration        how long the load runs ({@code soak.duration}, default {@code 10m}; {@code 90s}, {@code 2h})
 * @param checkInterval   time between paused invariant checks ({@code soak.check}, default {@code 5s})
 * @param transport       the server's and client's transport ({@code soak.transport}: {@code nio} or {@code epoll},
 *                        default epoll where available)
 * @param connections     client connections streaming through the echo server ({@code soak.connections}, 8)
 * @param rawThreads      threads of the raw-API workload ({@code soak.rawThreads}, 4)
 * @param shuttleThreads  threads shuttling buffers to and from the event loops ({@code soak.shuttleThreads}, 2)
 * @param rawRefusalRate  share of the raw allocator's mappings refused ({@code soak.rawRefusalRate}, 0.02)
 * @param outageEvery     time between outages of the server allocator's memory ({@code soak.outageEvery}, 30s;
 *                        {@code 0} for none)
 * @param outageLength    how long each outage lasts ({@code soak.outageLength}, 200ms)
 * @param seed            the seed of every random choice ({@code soak.seed}, the clock)
 * @param results         where the CSV of samples goes ({@code soak.results}, {@code results})
 */
record SoakConfig(Duration duration, Duration checkInterval, EchoTransport transport, int connections, int rawThreads,
                  int shuttleThreads, double rawRefusalRate, Duration outageEvery, Duration outageLength, long seed,
                  Path results) {

    /** Reads the settings from system properties. */
    static SoakConfig fromSystemProperties() {
        EchoTransport transport = label("soak.transport", EchoTransport.EPOLL.isAvailable() ? "epoll" : "nio",
            EchoTransport.class);
        if (!transport.isAvailable()) {
            throw new IllegalArgumentException("soak.transport: " + transport.label() + " is unavailable here ("
                + transport.unavailabilityCause() + ")");
        }
        return new SoakConfig(duration("soak.duration", "10m"), duration("soak.check", "5s"), transport,
            intValue("soak.connections", 8), intValue("soak.rawThreads", 4), intValue("soak.shuttleThreads", 2),
            doubleValue("soak.rawRefusalRate", 0.02), duration("soak.outageEvery", "30s"),
            duration("soak.outageLength", "200ms"), longValue("soak.seed", System.currentTimeMillis()),
            outputDirectory("soak.results"));
    }

    private static Duration duration(String name, String defaultValue) {
        return parseDuration(name, property(name, defaultValue));
    }

    /** Parses {@code 250ms}, {@code 90s}, {@code 10m}, {@code 2h} or a bare number of seconds. */
    static Duration parseDuration(String name, String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long number = Long.parseLong(value.replaceAll("[smh]$", ""));
            return switch (value.charAt(value.length() - 1)) {
                case 'm' -> Duration.ofMinutes(number);
                case 'h' -> Duration.ofHours(number);
                default -> Duration.ofSeconds(number);
            };
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(name + ": " + text + " (expected: a duration such as 90s, 10m or 2h)");
        }
    }
}
