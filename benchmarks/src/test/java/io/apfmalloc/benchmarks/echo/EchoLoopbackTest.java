package io.apfmalloc.benchmarks.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The echo server and the load client in this JVM, for a second each: echoes come back verified and measured. */
class EchoLoopbackTest {
    private static final int SIZE = 1000;

    @ParameterizedTest
    @EnumSource(ComparedAllocator.class)
    void everyAllocatorEchoesVerifiedMessages(ComparedAllocator allocator) throws Exception {
        try (EchoServer server = EchoServer.start(allocator, EchoTransport.NIO, 1);
             EchoClient client = new EchoClient(1)) {
            server.reset();
            // Warm-up first: on a loaded machine the first round trips of a cold JVM take hundreds of milliseconds.
            LoadResult result = client.run(new LoadSpec(EchoTransport.NIO, server.port(), SIZE, 2, 3, 500, 500),
                phase -> { });
            ServerStats stats = server.stats();

            assertTrue(result.messages() > 0, "measured round trips: " + result);
            assertEquals(0, result.mismatchedMessages(), "every echo matches what was sent");
            assertTrue(result.verifiedMessages() >= result.messages(), "every measured message was verified");
            assertTrue(result.p50Nanos() > 0 && result.p50Nanos() <= result.p99Nanos()
                && result.p99Nanos() <= result.p999Nanos() && result.p999Nanos() <= result.maxNanos(),
                "percentiles in order: " + result);
            assertTrue(result.messagesPerSecond() > 0 && result.megabytesPerSecond() > 0);
            assertTrue(stats.reads() > 0, "the server read: " + stats);
            assertTrue(stats.peakRssBytes() >= stats.rssBytes() || stats.rssBytes() < 0, "peak is a maximum");
            assertTrue(stats.peakHeldBytes() >= stats.heldBytes(), "peak is a maximum");
            if (allocator != ComparedAllocator.UNPOOLED) {
                assertTrue(stats.peakHeldBytes() > 0, "a pool holds memory while serving: " + stats);
            }
        }
    }

    @Test
    void aCorruptedEchoIsCounted() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EchoTransport.NIO.ioHandlerFactory());
        try (EchoClient client = new EchoClient(1)) {
            Channel server = new ServerBootstrap().group(group).channel(EchoTransport.NIO.serverChannel())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new CorruptingEchoHandler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            LoadResult result = client.run(new LoadSpec(EchoTransport.NIO, port, SIZE, 1, 1, 1000, 200),
                phase -> { });
            server.close().sync();

            assertTrue(result.verifiedMessages() > 1, "messages came back: " + result);
            assertEquals(1, result.mismatchedMessages(), "the one corrupted message is caught: " + result);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Echoes, flipping one bit of the second message. */
    private static final class CorruptingEchoHandler extends ChannelInboundHandlerAdapter {
        private long bytesSeen;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buffer = (ByteBuf) msg;
            long target = SIZE + SIZE / 2;
            if (bytesSeen <= target && target < bytesSeen + buffer.readableBytes()) {
                int index = buffer.readerIndex() + (int) (target - bytesSeen);
                buffer.setByte(index, buffer.getByte(index) ^ 1);
            }
            bytesSeen += buffer.readableBytes();
            ctx.writeAndFlush(msg);
        }
    }
}
