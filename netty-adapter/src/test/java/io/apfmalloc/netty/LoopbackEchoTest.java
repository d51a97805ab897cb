package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.apfmalloc.core.ThreadCacheStats;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A loopback echo server and client over real sockets, both allocating from one {@link ApfByteBufAllocator}
 * ({@code option} and {@code childOption(ALLOCATOR)}), over NIO and epoll. Payloads of 1 B to 1 MiB go out as one
 * buffer and as many small buffers (gathering writes) and must come back byte for byte; the server checks that
 * every buffer it reads came from our allocator. When the event loops end, their caches must be gone and a trim
 * must give all memory back.
 */
class LoopbackEchoTest {
    private static final int[] PAYLOAD_SIZES = {1, 7, 100, 1500, 16 * 1024, 64 * 1024 + 3, 1 << 20};
    private static final long TIMEOUT_SECONDS = 30;

    /** The transports under test. */
    enum Transport {
        NIO(NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class),
        EPOLL(EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);

        final IoHandlerFactory ioHandlerFactory;
        final Class<? extends ServerChannel> serverChannel;
        final Class<? extends Channel> channel;

        Transport(IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel,
                  Class<? extends Channel> channel) {
            this.ioHandlerFactory = ioHandlerFactory;
            this.serverChannel = serverChannel;
            this.channel = channel;
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void echoesEveryPayloadByteForByte(Transport transport) throws Exception {
        if (transport == Transport.EPOLL) {
            assumeTrue(Epoll.isAvailable(), () -> "epoll unavailable: " + Epoll.unavailabilityCause());
        }
        ApfByteBufAllocator allocator = new ApfByteBufAllocator(true);
        AtomicLong serverReads = new AtomicLong();
        AtomicLong foreignReads = new AtomicLong();
        String loopPrefix = "apf-echo-" + transport.name().toLowerCase(Locale.ROOT);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory(loopPrefix),
            transport.ioHandlerFactory);
        try {
            Channel server = new ServerBootstrap().group(group).channel(transport.serverChannel)
                .option(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new EchoHandler(allocator, serverReads, foreignReads));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            Collector collector = new Collector();
            Channel client = new Bootstrap().group(group).channel(transport.channel)
                .option(ChannelOption.ALLOCATOR, allocator)
                .handler(collector)
                .connect(server.localAddress()).sync().channel();

            Random random = new Random(42);
            for (int size : PAYLOAD_SIZES) {
                byte[] payload = new byte[size];
                random.nextBytes(payload);
                assertArrayEquals(payload, echo(client, collector, payload, false), "single buffer of " + size);
                assertArrayEquals(payload, echo(client, collector, payload, true), "gathered buffers of " + size);
            }
            client.close().sync();
            server.close().sync();

            assertTrue(serverReads.get() > 0);
            assertEquals(0, foreignReads.get(), "server reads from another allocator");
            List<ThreadCacheStats> loopCaches = cachesOf(allocator, loopPrefix);
            assertTrue(!loopCaches.isEmpty(), "the event loops allocated through caches of their own");
            long loopAllocations = loopCaches.stream().flatMap(cache -> cache.bins().stream())
                .mapToLong(bin -> bin.allocations()).sum();
            assertTrue(loopAllocations >= serverReads.get(), "reads were served by the loops' caches");
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
        assertEquals(0, allocator.metric().liveDirectBuffers(), "every buffer was released");
        assertTrue(cachesOf(allocator, loopPrefix).isEmpty(), "ended loops closed their caches");
        allocator.trim();
        assertEquals(0, allocator.metric().usedDirectMemory(), "trim gives everything back once nothing is live");
    }

    private static List<ThreadCacheStats> cachesOf(ApfByteBufAllocator allocator, String loopPrefix) {
        return allocator.metric().threadCaches().stream().filter(cache -> cache.owner().startsWith(loopPrefix))
            .toList();
    }

    /**
     * Sends {@code payload} (as one buffer, or as many small ones and composites of them in one flush: a gathering
     * write) and waits for its echo.
     */
    private static byte[] echo(Channel client, Collector collector, byte[] payload, boolean gathered)
            throws Exception {
        CompletableFuture<byte[]> received = collector.expect(payload.length);
        if (gathered) {
            Random random = new Random(payload.length);
            CompositeByteBuf composite = client.alloc().compositeDirectBuffer(1024);
            int at = 0;
            while (at < payload.length) {
                int length = Math.min(payload.length - at, 1 + random.nextInt(4096));
                ByteBuf piece = client.alloc().directBuffer(length).writeBytes(payload, at, length);
                if (random.nextBoolean()) {
                    // Keep the byte order: what was gathered so far goes first.
                    client.write(composite);
                    composite = client.alloc().compositeDirectBuffer(1024);
                    client.write(piece);
                } else {
                    composite.addComponent(true, piece);
                }
                at += length;
            }
            client.writeAndFlush(composite);
        } else {
            client.writeAndFlush(client.alloc().directBuffer(payload.length).writeBytes(payload));
        }
        return received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Writes back what it reads, noting whether each read buffer came from our allocator. */
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {
        private final ApfByteBufAllocator allocator;
        private final AtomicLong reads;
        private final AtomicLong foreignReads;

        EchoHandler(ApfByteBufAllocator allocator, AtomicLong reads, AtomicLong foreignReads) {
            this.allocator = allocator;
            this.reads = reads;
            this.foreignReads = foreignReads;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buffer = (ByteBuf) msg;
            reads.incrementAndGet();
            if (buffer.alloc() != allocator || !buffer.isDirect() || !buffer.hasMemoryAddress()) {
                foreignReads.incrementAndGet();
            }
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** Gathers the echoed bytes (on the client's event loop) until the expected count arrived. */
    private static final class Collector extends ChannelInboundHandlerAdapter {
        private byte[] expected = new byte[0];
        private int received;
        private volatile CompletableFuture<byte[]> done = new CompletableFuture<>();

        CompletableFuture<byte[]> expect(int length) {
            CompletableFuture<byte[]> future = new CompletableFuture<>();
            synchronized (this) {
                expected = new byte[length];
                received = 0;
                done = future;
            }
            return future;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buffer = (ByteBuf) msg;
            try {
                synchronized (this) {
                    int length = buffer.readableBytes();
                    if (received + length > expected.length) {
                        done.completeExceptionally(new AssertionError("more bytes than sent"));
                        return;
                    }
                    buffer.readBytes(expected, received, length);
                    received += length;
                    if (received == expected.length) {
                        done.complete(expected);
                    }
                }
            } finally {
                buffer.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
        }
    }
}
