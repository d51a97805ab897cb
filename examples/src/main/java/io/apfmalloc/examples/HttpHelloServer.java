package io.apfmalloc.examples;

import io.apfmalloc.netty.ApfByteBufAllocator;
import io.apfmalloc.netty.ApfJfr;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 server on apfmalloc: Netty's HTTP codec reads requests into, and writes responses from, buffers of
 * {@link ApfByteBufAllocator#DEFAULT}. Keep-alive connections and chunked request bodies work as with any Netty
 * allocator. It listens on 127.0.0.1 and answers:
 *
 * <ul>
 *   <li>{@code GET /} (any path but the two below): {@code Hello, world!}</li>
 *   <li>{@code POST /echo}: the request body, whether it came with a {@code Content-Length} or chunked</li>
 *   <li>{@code GET /metrics}: the allocator's metrics as text</li>
 * </ul>
 *
 * <p>Run: {@code mvn -B -q -DskipTests -Pexample -Dexample=HttpHelloServer -Dexample.args=8080 package}, then
 * {@code curl http://127.0.0.1:8080/} or {@code curl -T file.txt -H 'Transfer-Encoding: chunked'
 * http://127.0.0.1:8080/echo}. The argument, optional, is the port (default 8080, 0 for any free port). Ctrl-C
 * stops it.
 */
public final class HttpHelloServer implements AutoCloseable {
    /** The port {@link #main} listens on when none is given. */
    public static final int DEFAULT_PORT = 8080;
    /** The largest request body the server accepts; larger ones get {@code 413 Request Entity Too Large}. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private static final byte[] HELLO = "Hello, world!\n".getBytes(StandardCharsets.US_ASCII);

    private final EventLoopGroup group;
    private final Channel channel;
    private final AtomicLong connections;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HttpHelloServer(EventLoopGroup group, Channel channel, AtomicLong connections) {
        this.group = group;
        this.channel = channel;
        this.connections = connections;
    }

    /**
     * Starts a server on 127.0.0.1 over the best transport here (epoll on Linux, else NIO) and returns once it
     * listens.
     *
     * @param port the port, or 0 for any free one ({@link #port()} tells which)
     * @return the running server; {@link #close()} stops it
     * @throws InterruptedException if interrupted while binding
     */
    public static HttpHelloServer start(int port) throws InterruptedException {
        Transport transport = Transport.best();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("http-loop"),
            transport.ioHandlerFactory());
        AtomicLong connections = new AtomicLong();
        try {
            Channel channel = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.ALLOCATOR, ApfByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.ALLOCATOR, ApfByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel connection) {
                        connections.incrementAndGet();
                        connection.pipeline().addLast(
                            new HttpServerCodec(),                       // bytes <-> HttpRequest/HttpContent
                            new HttpServerKeepAliveHandler(),            // Connection: keep-alive / close
                            new HttpObjectAggregator(MAX_BODY_BYTES),    // chunks -> one FullHttpRequest
                            new Hello());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            return new HttpHelloServer(group, channel, connections);
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

    /** Returns how many connections the server has accepted: with keep-alive, fewer than requests. */
    public long connectionsAccepted() {
        return connections.get();
    }

    /** Stops listening, closes every connection and ends the event loops; waits for all of it. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Runs the server until Ctrl-C.
     *
     * @param args the port (optional, default {@value #DEFAULT_PORT}; 0 for any free port)
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_PORT;
        HttpHelloServer server = start(port);
        ApfJfr.register(ApfByteBufAllocator.DEFAULT);  // the same figures in JFR recordings
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "http-shutdown"));
        System.out.printf("HTTP server on http://127.0.0.1:%d/ (also POST /echo, GET /metrics)%n", server.port());
        server.channel.closeFuture().sync();
    }

    /** Answers one aggregated request; the response body is a buffer from the connection's allocator. */
    private static final class Hello extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response;
            if (!request.decoderResult().isSuccess()) {
                response = text(ctx, HttpResponseStatus.BAD_REQUEST, "bad request\n".getBytes(StandardCharsets.UTF_8));
            } else if (request.method().equals(HttpMethod.POST) && request.uri().equals("/echo")) {
                // The aggregated body is already one of our buffers: send it back as it is, without a copy.
                response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
                    request.content().retainedDuplicate());
                String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE,
                    HttpHeaderValues.APPLICATION_OCTET_STREAM.toString());
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            } else if (request.method().equals(HttpMethod.GET) && request.uri().equals("/metrics")) {
                String report = ApfByteBufAllocator.DEFAULT.dumpStats();
                response = text(ctx, HttpResponseStatus.OK, report.getBytes(StandardCharsets.UTF_8));
            } else {
                response = text(ctx, HttpResponseStatus.OK, HELLO);
            }
            // A known length lets the connection stay open; HttpServerKeepAliveHandler closes it when the client
            // asked for that (Connection: close, or HTTP/1.0 without keep-alive).
            HttpUtil.setContentLength(response, response.content().readableBytes());
            ctx.writeAndFlush(response);
        }

        private static FullHttpResponse text(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body) {
            ByteBuf content = ctx.alloc().buffer(body.length).writeBytes(body);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            return response;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
