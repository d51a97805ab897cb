package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.harness.LoopbackServer;
import io.apfmalloc.benchmarks.harness.ServerConsole;
import io.apfmalloc.benchmarks.harness.ServerMeter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Netty echo server on 127.0.0.1 whose channels allocate from the allocator under test: it writes back every
 * buffer it reads and flushes when a read completes, so its allocator's work is the read buffers, released when
 * their echo is written.
 *
 * <p>As a program ({@link #main}) it prints {@code PORT <port>} once bound, then answers lines on standard input:
 * {@code reset} (answers {@code OK}) starts sampling the resident set and the allocator's held memory every 100 ms;
 * {@code stats} answers a {@link ServerStats} line; {@code quit}, or the end of input, stops the server.
 */
public final class EchoServer implements AutoCloseable {
    private final LoopbackServer server;
    private final EchoHandler handler;

    private EchoServer(LoopbackServer server, EchoHandler handler) {
        this.server = server;
        this.handler = handler;
    }

    /**
     * Starts a server on an ephemeral port of 127.0.0.1.
     *
     * @param allocatorKind the allocator of the server channel and of every accepted channel
     * @param transport NIO or epoll; must be {@linkplain EchoTransport#isAvailable() available}
     * @param threads event-loop threads
     */
    public static EchoServer start(ComparedAllocator allocatorKind, EchoTransport transport, int threads)
            throws InterruptedException {
        EchoHandler handler = new EchoHandler();
        return new EchoServer(LoopbackServer.bind(allocatorKind.create(), transport.ioHandlerFactory(),
            transport.serverChannel(), "echo-server-" + allocatorKind.label(), threads, handler), handler);
    }

    /** Returns the port the server listens on. */
    public int port() {
        return server.port();
    }

    /** Starts sampling peaks anew and zeroes the read counters. Call from one thread at a time. */
    public synchronized void reset() {
        handler.reads.reset();
        handler.directReads.reset();
        server.meter().reset();
    }

    /** Stops sampling and returns the figures since the last {@link #reset()}. Call from one thread at a time. */
    public synchronized ServerStats stats() {
        ServerMeter.Reading reading = server.meter().reading();
        return new ServerStats(reading.rssBytes(), reading.peakRssBytes(), reading.heldBytes(),
            reading.peakHeldBytes(), handler.reads.sum(), handler.directReads.sum(), reading.heapCommittedBytes());
    }

    /** Stops the server and its event loops. */
    @Override
    public void close() throws InterruptedException {
        server.close();
    }

    /**
     * Runs a server until {@code quit} or the end of standard input.
     *
     * @param args the allocator ({@code apf}, {@code pooled}, {@code adaptive}, {@code unpooled}), the transport
     *             ({@code nio}, {@code epoll}), and optionally the event-loop threads (default 1)
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: EchoServer <apf|pooled|adaptive|unpooled> <nio|epoll> [threads]");
            System.exit(2);
        }
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        try (EchoServer server = start(ComparedAllocator.of(args[0]), EchoTransport.of(args[1]), threads)) {
            ServerConsole.serve(server.port(), server::reset, () -> server.stats().toLine());
        }
    }

    /** Writes back what it reads; counts reads, and direct ones, for the stats. Shared by all channels. */
    @ChannelHandler.Sharable
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {
        private final LongAdder reads = new LongAdder();
        private final LongAdder directReads = new LongAdder();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reads.increment();
            if (((ByteBuf) msg).isDirect()) {
                directReads.increment();
            }
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
