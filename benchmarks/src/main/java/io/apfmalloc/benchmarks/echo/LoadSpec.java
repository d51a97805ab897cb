package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.KeyValueLine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One load run of the client against a server.
 *
 * @param transport NIO or epoll, for the client's channels (the server's is chosen when it starts)
 * @param port the server's port on 127.0.0.1
 * @param messageSize bytes per message, at least 1
 * @param connections connections opened for the run, at least 1
 * @param inFlight messages each connection keeps in flight, at least 1
 * @param warmupMillis load before measuring starts
 * @param measureMillis load measured; 0 for a warm-up-only run
 */
public record LoadSpec(EchoTransport transport, int port, int messageSize, int connections, int inFlight,
                       long warmupMillis, long measureMillis) {
    static final String TAG = "RUN";

    /** Checks the arguments. */
    public LoadSpec {
        check("messageSize", messageSize, 1);
        check("connections", connections, 1);
        check("inFlight", inFlight, 1);
        check("warmupMillis", warmupMillis, 0);
        check("measureMillis", measureMillis, 0);
    }

    private static void check(String name, long value, long least) {
        if (value < least) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= " + least + ")");
        }
    }

    /** Returns this as a protocol line. */
    String toLine() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("transport", transport.label());
        values.put("port", port);
        values.put("size", messageSize);
        values.put("connections", connections);
        values.put("inFlight", inFlight);
        values.put("warmupMillis", warmupMillis);
        values.put("measureMillis", measureMillis);
        return KeyValueLine.format(TAG, values);
    }

    /** Parses a line made by {@link #toLine()}. */
    static LoadSpec parse(String line) {
        Map<String, String> values = KeyValueLine.parse(line);
        return new LoadSpec(EchoTransport.of(values.getOrDefault("transport", "nio")),
            (int) KeyValueLine.longValue(values, "port"), (int) KeyValueLine.longValue(values, "size"),
            (int) KeyValueLine.longValue(values, "connections"), (int) KeyValueLine.longValue(values, "inFlight"),
            KeyValueLine.longValue(values, "warmupMillis"), KeyValueLine.longValue(values, "measureMillis"));
    }
}
