package io.apfmalloc.benchmarks.pattern;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.SplittableRandom;

/**
 * Socket-proxy traffic for {@link TrafficCapture}: a SOCKS5 proxy (RFC 1928, no authentication, IPv4 CONNECT) whose
 * channels allocate from the allocator under test, relaying to an echo backend, driven by blocking clients.
 *
 * <p>The proxy's allocations are what a Netty proxy's are: every read, sized by Netty's adaptive receive-buffer
 * guess and forwarded as it is, and the handshake's two small control writes per connection (the 2-byte method
 * choice and the 10-byte CONNECT reply). The client traffic is an assumption, stated in {@link TrafficMix}: each
 * connection makes {@value #MAX_EXCHANGES} exchanges at most, each a message that comes back echoed before the next
 * is sent, {@value #INTERACTIVE_PERCENT}% of them interactive (64 B to 2 KiB, log-uniform: commands, queries,
 * small RPCs), the rest bulk (16 KiB to 1 MiB, log-uniform: file and result transfers).
 */
final class ProxyTraffic {
    static final int MAX_EXCHANGES = 40;
    static final int INTERACTIVE_PERCENT = 70;
    private static final int SOCKS_VERSION = 5;
    private static final int COMMAND_CONNECT = 1;
    private static final int ADDRESS_IPV4 = 1;
    private static final int IPV4_REQUEST_BYTES = 10;

    private ProxyTraffic() {
    }

    /**
     * Runs a backend, the proxy on {@code proxyAllocator} and {@code clients} clients on {@code group} and virtual
     * threads until {@code seconds} have passed; returns the exchanges made.
     */
    static long run(EventLoopGroup group, ByteBufAllocator proxyAllocator, int clients, double seconds, long seed)
            throws Exception {
        Channel backend = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel channel) {
                    channel.pipeline().addLast(new Relay(channel));
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        Channel proxy = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .option(ChannelOption.ALLOCATOR, proxyAllocator)
            .childOption(ChannelOption.ALLOCATOR, proxyAllocator)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel channel) {
                    channel.pipeline().addLast(new SocksFrontend());
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            InetSocketAddress proxyAddress = (InetSocketAddress) proxy.localAddress();
            InetSocketAddress target = (InetSocketAddress) backend.localAddress();
            return Clients.run(clients, seconds, seed, random -> connection(proxyAddress, target, random));
        } finally {
            proxy.close().sync();
            backend.close().sync();
        }
    }

    /** One client connection: the SOCKS5 handshake, then echoed exchanges; returns how many. */
    private static long connection(InetSocketAddress proxy, InetSocketAddress target, SplittableRandom random)
            throws IOException, InterruptedException {
        try (Socket socket = new Socket(proxy.getAddress(), proxy.getPort())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(new byte[] {SOCKS_VERSION, 1, 0});
            in.readFully(new byte[2]);
            byte[] address = target.getAddress().getAddress();
            out.write(new byte[] {SOCKS_VERSION, COMMAND_CONNECT, 0, ADDRESS_IPV4, address[0], address[1], address[2],
                address[3], (byte) (target.getPort() >> 8), (byte) target.getPort()});
            byte[] reply = new byte[IPV4_REQUEST_BYTES];
            in.readFully(reply);
            if (reply[1] != 0) {
                throw new IOException("SOCKS CONNECT refused: " + reply[1]);
            }
            int exchanges = 1 + random.nextInt(MAX_EXCHANGES);
            for (int i = 0; i < exchanges; i++) {
                int size = random.nextInt(100) < INTERACTIVE_PERCENT ? Clients.logUniform(random, 64, 2048)
                    : Clients.logUniform(random, 16 << 10, 1 << 20);
                Clients.exchange(out, in, new byte[size]);
            }
            return exchanges;
        }
    }

    /**
     * The proxy's side of a client connection: answers the greeting, connects to the requested address on the same
     * event loop, answers the request, then relays. Each handshake message arrives in one read: the client waits for
     * each answer before it sends more.
     */
    private static final class SocksFrontend extends ChannelInboundHandlerAdapter {
        private boolean greeted;
        private Channel outbound;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            if (outbound != null) {
                outbound.write(in, outbound.voidPromise());
                return;
            }
            try {
                if (in.getByte(in.readerIndex()) != SOCKS_VERSION) {
                    throw new IllegalStateException("not SOCKS5");
                }
                if (!greeted) {
                    greeted = true;
                    ctx.writeAndFlush(ctx.alloc().buffer(2).writeByte(SOCKS_VERSION).writeByte(0));
                } else {
                    connect(ctx, in);
                }
            } finally {
                in.release();
            }
        }

        private void connect(ChannelHandlerContext ctx, ByteBuf request) {
            if (request.readableBytes() != IPV4_REQUEST_BYTES || request.getByte(1) != COMMAND_CONNECT
                || request.getByte(3) != ADDRESS_IPV4) {
                throw new IllegalStateException("expected an IPv4 CONNECT in one read");
            }
            byte[] address = new byte[4];
            request.getBytes(4, address);
            int port = request.getUnsignedShort(8);
            Channel inbound = ctx.channel();
            inbound.config().setAutoRead(false);
            new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.ALLOCATOR, ctx.alloc())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new Relay(inbound))
                .connect(new InetSocketAddress(toInet(address), port))
                .addListener((ChannelFutureListener) future -> {
                    if (!future.isSuccess()) {
                        inbound.close();
                        return;
                    }
                    outbound = future.channel();
                    ByteBuf reply = ctx.alloc().buffer(IPV4_REQUEST_BYTES).writeByte(SOCKS_VERSION).writeByte(0)
                        .writeByte(0).writeByte(ADDRESS_IPV4).writeBytes(address).writeShort(port);
                    ctx.writeAndFlush(reply);
                    inbound.config().setAutoRead(true);
                });
        }

        private static InetAddress toInet(byte[] address) {
            try {
                return InetAddress.getByAddress(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (outbound != null) {
                outbound.flush();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (outbound != null) {
                outbound.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Writes what it reads to {@code inbound}, flushing when a read completes, and closes it when its own channel
     * closes: the proxy's side of the backend connection (relaying to the client's channel), and the backend (whose
     * {@code inbound} is its own channel: an echo).
     */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel inbound;

        Relay(Channel inbound) {
            this.inbound = inbound;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            inbound.write(msg, inbound.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            inbound.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inbound.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
