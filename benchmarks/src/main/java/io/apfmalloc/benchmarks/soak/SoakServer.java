package io.apfmalloc.benchmarks.soak;

import io.apfmalloc.benchmarks.echo.EchoTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's echo server on 127.0.0.1: every accepted channel allocates from the allocator under test and writes
 * back what it reads. A channel whose read buffer is refused (an {@link OutOfMemoryError} during an outage) is
 * closed, as Netty closes it anyway; any other failure but a peer's reset is a soak failure.
 */
final class SoakServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;
    private final EchoHandler handler;

    private SoakServer(EventLoopGroup group, Channel channel, EchoHandler handler) {
        this.group = group;
        this.channel = channel;
        this.handler = handler;
    }

    /** Starts a server of {@code threads} event loops whose channels allocate from {@code allocator}. */
    static SoakServer start(ByteBufAllocator allocator, EchoTransport transport, int threads,
                            ConcurrentLinkedQueue<Throwable> failures) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("soak-server"),
            transport.ioHandlerFactory());
        EchoHandler handler = new EchoHandler(failures);
        try {
            Channel channel = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .option(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(handler)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            return new SoakServer(group, channel, handler);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Returns the server's event loops, to park them for an invariant check or hand them work. */
    List<EventExecutor> loops() {
        List<EventExecutor> loops = new ArrayList<>();
        group.forEach(loops::add);
        return loops;
    }

    /** Returns how many channels were closed because a buffer was refused. */
    long refusedReads() {
        return handler.refusedReads.sum();
    }

    @Override
    public void close() throws InterruptedException {
        channel.close().sync();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }

    @ChannelHandler.Sharable
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {
        private final ConcurrentLinkedQueue<Throwable> failures;
        private final LongAdder refusedReads = new LongAdder();

        EchoHandler(ConcurrentLinkedQueue<Throwable> failures) {
            this.failures = failures;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof OutOfMemoryError) {
                refusedReads.increment();
            } else if (!(cause instanceof IOException)) {
                failures.add(new IllegalStateException("echo server channel failed", cause));
            }
            ctx.close();
        }
    }
}
