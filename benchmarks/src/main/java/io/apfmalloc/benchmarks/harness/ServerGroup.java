package io.apfmalloc.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The server JVMs of one group of a comparison, one per allocator, all started before any is measured: each is a
 * {@link ChildJvm} that prints {@code PORT <port>} once bound ({@link ServerConsole}). Closing the group stops them
 * all. Used from one thread.
 *
 * @param <A> the allocators' type
 */
public final class ServerGroup<A> implements AutoCloseable {
    private final Map<A, ChildJvm> servers = new LinkedHashMap<>();
    private final Map<A, Integer> ports = new LinkedHashMap<>();

    private ServerGroup() {
    }

    /**
     * Starts a server per allocator with {@code command}, named {@code name}, each logging to {@code log}, then waits
     * for every one's port; if one fails, stops those started and throws.
     *
     * @param timeoutSeconds how long each server may take to print its port
     */
    public static <A> ServerGroup<A> start(List<A> allocators, Function<A, String> name,
                                           Function<A, List<String>> command, Path log, long timeoutSeconds)
            throws IOException, InterruptedException {
        ServerGroup<A> group = new ServerGroup<>();
        try {
            for (A allocator : allocators) {
                group.servers.put(allocator, ChildJvm.start(name.apply(allocator), command.apply(allocator), log));
            }
            for (A allocator : allocators) {
                String port = group.servers.get(allocator).await("PORT", timeoutSeconds, line -> { });
                group.ports.put(allocator, Integer.parseInt(port.substring("PORT".length()).trim()));
            }
            return group;
        } catch (IOException | InterruptedException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    /** Returns {@code allocator}'s server. */
    public ChildJvm server(A allocator) {
        return servers.get(allocator);
    }

    /** Returns the port {@code allocator}'s server listens on. */
    public int port(A allocator) {
        return ports.get(allocator);
    }

    /** Stops every server. */
    @Override
    public void close() throws InterruptedException {
        for (ChildJvm server : servers.values()) {
            server.close();
        }
    }
}
