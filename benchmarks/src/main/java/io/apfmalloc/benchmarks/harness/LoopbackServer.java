package io.apfmalloc.benchmarks.harness;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark server's listening channel on an ephemeral port of 127.0.0.1, its event loops, and the meter of the
 * allocator under test: the listening channel and every accepted one allocate from that allocator, accepted
 * channels with {@code TCP_NODELAY}. The benchmark servers (echo, HTTP) differ only in their child handler.
 */
public final class LoopbackServer implements AutoCloseable {
    /** Connections the listening socket queues: every load generator's connections at once. */
    private static final int BACKLOG = 1024;

    private final EventLoopGroup group;
    private final Channel channel;
    private final ServerMeter meter;

    private LoopbackServer(ByteBufAllocator allocator, EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
        this.meter = new ServerMeter(allocator);
    }

    /**
     * Binds a server; if binding fails, shuts its event loops down and throws.
     *
     * @param threadName the event-loop threads' name prefix
     * @param threads event-loop threads
     * @param childHandler the handler (or initializer) of every accepted channel
     */
    public static LoopbackServer bind(ByteBufAllocator allocator, IoHandlerFactory ioHandlerFactory,
                                      Class<? extends ServerChannel> channelType, String threadName, int threads,
                                      ChannelHandler childHandler) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadName),
            ioHandlerFactory);
        try {
            Channel channel = new ServerBootstrap().group(group).channel(channelType)
                .option(ChannelOption.ALLOCATOR, allocator)
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(childHandler)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            return new LoopbackServer(allocator, group, channel);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Returns the port the server listens on. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Returns the meter of the server's resident set, its allocator's held memory and its CPU time. */
    public ServerMeter meter() {
        return meter;
    }

    /** Stops the meter, the listening channel and the event loops. */
    @Override
    public void close() throws InterruptedException {
        meter.close();
        channel.close().sync();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }
}
