package io.apfmalloc.examples;

import io.apfmalloc.netty.ApfByteBufAllocator;
import io.apfmalloc.netty.ApfJfr;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Netty echo server whose buffers come from apfmalloc: the two lines that adopt the allocator are the
 * {@code option} and {@code childOption(ChannelOption.ALLOCATOR, ApfByteBufAllocator.DEFAULT)} calls in
 * {@link #start}. It listens on 127.0.0.1, sends back every byte it reads, and prints the allocator's metrics every
 * few seconds, whenever a line is typed on standard input, and when it stops.
 *
 * <p>Run: {@code mvn -B -q -DskipTests -Pexample -Dexample=EchoServer -Dexample.args="8007 auto 10" package}, then
 * talk to it with {@code nc 127.0.0.1 8007}. Arguments, all optional: port (default 8007, 0 for any free port),
 * transport ({@code nio}, {@code epoll}, or {@code auto}: epoll where available), metrics interval in seconds
 * (default 10, 0 for none). Ctrl-C stops it.
 */
public final class EchoServer implements AutoCloseable {
    /** The port {@link #main} listens on when none is given: 8000 + the echo protocol's 7, as Netty's examples. */
    public static final int DEFAULT_PORT = 8007;

    private final EventLoopGroup group;
    private final Channel channel;
    private final Transport transport;
    private final PrintStream metricsOut;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EchoServer(EventLoopGroup group, Channel channel, Transport transport, PrintStream metricsOut) {
        this.group = group;
        this.channel = channel;
        this.transport = transport;
        this.metricsOut = metricsOut;
    }

    /**
     * Starts a server on 127.0.0.1 and returns once it listens.
     *
     * @param port            the port, or 0 for any free one ({@link #port()} tells which)
     * @param transport       the event-loop transport; {@link Transport#EPOLL} must be available
     * @param metricsInterval seconds between metrics reports to {@code metricsOut}; 0 for none
     * @param metricsOut      where metrics reports go
     * @return the running server; {@link #close()} stops it
     * @throws InterruptedException if interrupted while binding
     * @throws IllegalStateException if epoll was asked for where it is unavailable
     */
    public static EchoServer start(int port, Transport transport, int metricsInterval, PrintStream metricsOut)
            throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("echo-loop"),
            transport.ioHandlerFactory());
        try {
            Channel channel = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.ALLOCATOR, ApfByteBufAllocator.DEFAULT)       // the listening channel
                .childOption(ChannelOption.ALLOCATOR, ApfByteBufAllocator.DEFAULT)  // every accepted connection
                .childHandler(new Echo())
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            EchoServer server = new EchoServer(group, channel, transport, metricsOut);
            if (metricsInterval > 0) {
                group.scheduleAtFixedRate(server::printMetrics, metricsInterval, metricsInterval, TimeUnit.SECONDS);
            }
            return server;
        } catch (Throwable e) {
            // Includes a BindException, which Netty's sync() throws without declaring it.
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Returns the port the server listens on. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Returns the transport the server runs on. */
    public Transport transport() {
        return transport;
    }

    /**
     * Prints the allocator's metrics ({@link ApfByteBufAllocator#dumpStats()}) to the server's metrics stream; any
     * thread may call.
     */
    public void printMetrics() {
        metricsOut.print(ApfByteBufAllocator.DEFAULT.dumpStats());
        metricsOut.flush();
    }

    /**
     * Stops listening, closes every connection and ends the event loops (their caches go back to the heap); waits
     * for all of it. A second call does nothing.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Returns whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Runs the server until Ctrl-C or a {@code quit} line on standard input, printing the metrics a last time before
     * it stops; see the class comment for the arguments.
     *
     * @param args port, transport, metrics interval in seconds; all optional
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_PORT;
        Transport transport = Transport.parse(args.length > 1 ? args[1] : "auto");
        int metricsInterval = args.length > 2 ? Integer.parseInt(args[2]) : 10;

        EchoServer server = start(port, transport, metricsInterval, System.out);
        ApfJfr.register(ApfByteBufAllocator.DEFAULT);  // the same figures in JFR recordings
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "echo-shutdown"));
        System.out.printf("echo server on 127.0.0.1:%d (%s), buffers from ApfByteBufAllocator.DEFAULT%n",
            server.port(), transport);
        System.out.println("press Enter for metrics, type quit to stop (or Ctrl-C)");
        Thread console = Thread.ofPlatform().daemon().name("echo-console").start(() -> readCommands(server));
        server.channel.closeFuture().sync();
        console.interrupt();
        stop(server);
    }

    private static synchronized void stop(EchoServer server) {
        if (!server.isClosed()) {
            server.printMetrics();
            server.close();
        }
    }

    /** Prints metrics for every line read, and stops the server on {@code quit}; the server's lone stdin reader. */
    private static void readCommands(EchoServer server) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.trim().equalsIgnoreCase("quit")) {
                    server.channel.close();
                    return;
                }
                server.printMetrics();
            }
        } catch (IOException e) {
            // No console (started in the background): metrics come on the interval only.
        }
    }

    /** Writes back what it reads: the read buffer itself, so the bytes never leave the allocator's block. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
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
