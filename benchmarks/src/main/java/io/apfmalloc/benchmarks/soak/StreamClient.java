package io.apfmalloc.benchmarks.soak;

import io.apfmalloc.benchmarks.echo.EchoTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load: connections that each stream a pseudo-random byte sequence of their own through the echo server, in
 * chunks of 1 B to 128 KiB, at most {@link #WINDOW} bytes unanswered, and check every echoed byte against the
 * sequence. A connection the server closes (a refused buffer) is replaced by a new one with a new sequence. The
 * client allocates from Netty's pooled allocator, so that only the server's is under test.
 */
final class StreamClient implements AutoCloseable {
    /** Bytes sent and not yet echoed, at most, per connection. */
    private static final int WINDOW = 512 << 10;
    private static final long RECONNECT_DELAY_MILLIS = 50;
    private static final long DRAIN_TIMEOUT_MILLIS = 30_000;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final int connections;
    private final ConcurrentLinkedQueue<Throwable> failures;
    private final AtomicLong seeds;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final LongAdder verifiedBytes = new LongAdder();
    private final LongAdder resets = new LongAdder();
    private volatile boolean running = true;

    StreamClient(EchoTransport transport, int port, int connections, long seed,
                 ConcurrentLinkedQueue<Throwable> failures) {
        this.group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("soak-client"),
            transport.ioHandlerFactory());
        this.bootstrap = new Bootstrap().group(group).channel(transport.channel())
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(ChannelOption.TCP_NODELAY, true)
            .remoteAddress(new InetSocketAddress("127.0.0.1", port));
        this.connections = connections;
        this.failures = failures;
        this.seeds = new AtomicLong(seed);
    }

    /** Opens the connections; each starts streaming at once. */
    void start() throws InterruptedException {
        for (int i = 0; i < connections; i++) {
            connect().sync();
        }
    }

    private ChannelFuture connect() {
        Connection connection = new Connection(Stamp.mix(seeds.incrementAndGet()));
        return bootstrap.clone().handler(connection).connect();
    }

    /** Stops sending, waits until every connection has its last echo back, and closes them. */
    void stop() throws InterruptedException {
        running = false;
        long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT_MILLIS;
        while (open.stream().anyMatch(Connection::awaitsEchoes) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        for (Connection connection : open) {
            if (connection.awaitsEchoes()) {
                failures.add(new IllegalStateException("a connection still waits for echoes after "
                    + DRAIN_TIMEOUT_MILLIS + " ms"));
            }
        }
    }

    /** Returns the bytes echoed and checked so far. */
    long verifiedBytes() {
        return verifiedBytes.sum();
    }

    /** Returns how many connections the server closed and were replaced. */
    long resets() {
        return resets.sum();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }

    /** The byte at {@code offset} of the sequence of {@code seed}. */
    private static byte streamByte(long seed, long offset) {
        return (byte) (Stamp.mix(seed + (offset >>> 3)) >>> ((offset & 7) << 3));
    }

    /** One connection's stream; every method runs on its event loop. */
    private final class Connection extends ChannelInboundHandlerAdapter {
        private final long seed;
        private final SplittableRandom chunkSizes;
        private volatile long sent;
        private volatile long received;
        private ChannelHandlerContext ctx;

        Connection(long seed) {
            this.seed = seed;
            this.chunkSizes = new SplittableRandom(seed);
        }

        boolean awaitsEchoes() {
            return received != sent && ctx != null && ctx.channel().isActive();
        }

        @Override
        public void channelActive(ChannelHandlerContext context) {
            this.ctx = context;
            open.add(this);
            sendMore();
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                int length = in.readableBytes();
                if (received + length > sent) {
                    throw new IllegalStateException("echoed " + (received + length) + " bytes, sent only " + sent);
                }
                for (int i = 0; i < length; i++) {
                    if (in.getByte(in.readerIndex() + i) != streamByte(seed, received + i)) {
                        throw new IllegalStateException("echoed byte " + (received + i) + " of stream "
                            + Long.toHexString(seed) + " differs from the byte sent");
                    }
                }
                received += length;
                verifiedBytes.add(length);
            } finally {
                in.release();
            }
            sendMore();
        }

        private void sendMore() {
            while (running && sent - received < WINDOW) {
                int size = chunkSize();
                ByteBuf chunk = ctx.alloc().buffer(size);
                for (int i = 0; i < size; i++) {
                    chunk.writeByte(streamByte(seed, sent + i));
                }
                sent += size;
                ctx.write(chunk, ctx.voidPromise());
            }
            ctx.flush();
        }

        private int chunkSize() {
            int bucket = chunkSizes.nextInt(10);
            return bucket < 6 ? chunkSizes.nextInt(1, 513)
                : bucket < 9 ? chunkSizes.nextInt(513, 16 << 10) : chunkSizes.nextInt(16 << 10, 128 << 10);
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            open.remove(this);
            if (running) {
                resets.increment();
                group.schedule(StreamClient.this::connect, RECONNECT_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            if (cause instanceof IllegalStateException) {
                failures.add(cause);
            }
            context.close();
        }
    }
}
