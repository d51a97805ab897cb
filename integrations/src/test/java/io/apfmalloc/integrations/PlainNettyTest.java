package io.apfmalloc.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.apfmalloc.netty.ApfByteBufAllocator;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The plain Netty recipe (docs/INTEGRATIONS.md): a server and a client bootstrap on our allocator, a 3 MiB body
 * echoed over 127.0.0.1. Nothing stays on another allocator: every buffer here comes from the channels' allocator.
 */
class PlainNettyTest {
    private static final int BODY_BYTES = 3 << 20;

    @Test
    void serverAndClientBootstrapsEchoOnOurAllocator() throws Exception {
        ApfByteBufAllocator allocator = new ApfByteBufAllocator(true);
        byte[] body = AllocatorTraffic.randomBodies(1, BODY_BYTES).getFirst();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("plain-netty"),
            NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ctx.write(msg);
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext ctx) {
                        ctx.flush();
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.ALLOCATOR, allocator)
                .handler(new Collector(body.length, echoed))
                .connect(server.localAddress()).sync().channel();
            client.writeAndFlush(client.alloc().buffer(body.length).writeBytes(body));

            assertThat(echoed.get(30, TimeUnit.SECONDS)).isEqualTo(body);
            AllocatorTraffic.assertEventLoopsAllocated(allocator, "plain-netty", 2);
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
        AllocatorTraffic.assertAllReleased(allocator);
    }

    /** Gathers what comes back until {@code expected} bytes have. */
    private static final class Collector extends ChannelInboundHandlerAdapter {
        private final int expected;
        private final CompletableFuture<byte[]> done;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        Collector(int expected, CompletableFuture<byte[]> done) {
            this.expected = expected;
            this.done = done;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buffer = (ByteBuf) msg;
            try {
                received.writeBytes(ByteBufUtil.getBytes(buffer));
            } finally {
                buffer.release();
            }
            if (received.size() >= expected) {
                done.complete(received.toByteArray());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
        }
    }
}
