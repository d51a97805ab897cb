package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.KeyValueLine;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The load generator: opens connections to an echo server on 127.0.0.1, keeps messages in flight on each, checks
 * the echoes byte for byte and measures throughput and round-trip latency. Its allocator is fixed (Netty's
 * {@link PooledByteBufAllocator#DEFAULT}) so that only the server's differs between runs; its event loops live as
 * long as the client, so it is warm for every run after the first.
 *
 * <p>As a program ({@link #main}) it prints {@code READY}, then runs each {@link LoadSpec} line read from standard
 * input, printing {@code PHASE warmup}, {@code PHASE measure} and {@code PHASE drain} as the run proceeds and then a
 * {@link LoadResult} line, or {@code ERROR} and the cause; {@code quit}, or the end of input, ends it.
 */
public final class EchoClient implements AutoCloseable {
    /** The client's allocator, the same for every server under test. */
    static final ByteBufAllocator CLIENT_ALLOCATOR = PooledByteBufAllocator.DEFAULT;
    /** Longest wait for the last echoes after the measured window; a healthy server needs milliseconds. */
    private static final long DRAIN_TIMEOUT_SECONDS = 30;

    private final int threads;
    private final Map<EchoTransport, EventLoopGroup> groups = new EnumMap<>(EchoTransport.class);

    /**
     * Makes a client whose event loops (made on first use, one group per transport) have {@code threads} threads.
     */
    public EchoClient(int threads) {
        this.threads = threads;
    }

    /**
     * Runs {@code spec} and returns what was measured; call from one thread at a time.
     *
     * @param phases told {@code warmup}, {@code measure} and {@code drain} as the run reaches each
     * @throws IllegalStateException if a connection failed or an echo never came back
     */
    public LoadResult run(LoadSpec spec, Consumer<String> phases)
            throws InterruptedException, ExecutionException, TimeoutException {
        EventLoopGroup group = groups.computeIfAbsent(spec.transport(), transport -> new MultiThreadIoEventLoopGroup(
            threads, new DefaultThreadFactory("echo-client-" + transport.label()), transport.ioHandlerFactory()));
        Bootstrap bootstrap = new Bootstrap().group(group).channel(spec.transport().channel())
            .option(ChannelOption.ALLOCATOR, CLIENT_ALLOCATOR)
            .option(ChannelOption.TCP_NODELAY, true);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", spec.port());
        List<Channel> channels = new ArrayList<>();
        List<LoadHandler> handlers = new ArrayList<>();
        try {
            for (int i = 0; i < spec.connections(); i++) {
                LoadHandler handler = new LoadHandler(spec.messageSize(), spec.inFlight(), i);
                channels.add(bootstrap.handler(handler).connect(server).sync().channel());
                handlers.add(handler);
            }
            CountDownLatch drained = new CountDownLatch(spec.connections());
            long measureStart = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(spec.warmupMillis());
            long measureEnd = measureStart + TimeUnit.MILLISECONDS.toNanos(spec.measureMillis());
            phases.accept("warmup");
            for (int i = 0; i < channels.size(); i++) {
                LoadHandler handler = handlers.get(i);
                channels.get(i).eventLoop().execute(() -> handler.start(measureStart, measureEnd, drained));
            }
            sleepUntil(measureStart);
            if (spec.measureMillis() > 0) {
                phases.accept("measure");
                sleepUntil(measureEnd);
            }
            phases.accept("drain");
            if (!drained.await(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("echoes still missing " + DRAIN_TIMEOUT_SECONDS + " s after the run");
            }
            return collect(spec, channels, handlers, measureEnd - measureStart);
        } finally {
            for (Channel channel : channels) {
                channel.close().sync();
            }
        }
    }

    private static LoadResult collect(LoadSpec spec, List<Channel> channels, List<LoadHandler> handlers,
                                      long measureNanos) throws InterruptedException, ExecutionException {
        Histogram latencies = new Histogram(3);
        long measured = 0;
        long verified = 0;
        long mismatched = 0;
        for (int i = 0; i < channels.size(); i++) {
            LoadHandler.Tally tally = channels.get(i).eventLoop().submit(handlers.get(i)::tally).get();
            if (tally.failure() != null) {
                throw new IllegalStateException("connection " + i + " failed: " + tally.failure(), tally.failure());
            }
            latencies.add(tally.latencies());
            measured += tally.measured();
            verified += tally.verified();
            mismatched += tally.mismatched();
        }
        return new LoadResult(measured, spec.messageSize(), measureNanos, latencies.getValueAtPercentile(50),
            latencies.getValueAtPercentile(99), latencies.getValueAtPercentile(99.9), latencies.getMaxValue(),
            verified, mismatched);
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Stops the event loops. */
    @Override
    public void close() throws InterruptedException {
        for (EventLoopGroup group : groups.values()) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * Runs load lines from standard input until {@code quit} or its end.
     *
     * @param args optionally the event-loop threads (default 1)
     */
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        try (EchoClient client = new EchoClient(threads)) {
            reply("READY");
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = input.readLine(); line != null && !line.equals("quit"); line = input.readLine()) {
                if (!KeyValueLine.tag(line).equals(LoadSpec.TAG)) {
                    reply("ERROR unknown command: " + line);
                    continue;
                }
                try {
                    reply(client.run(LoadSpec.parse(line), phase -> reply("PHASE " + phase)).toLine());
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    reply("ERROR " + e.toString().replace('\n', ' '));
                }
            }
        }
    }

    private static void reply(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
