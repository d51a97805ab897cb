package io.apfmalloc.benchmarks.http;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.echo.EchoTransport;
import io.apfmalloc.benchmarks.harness.LoopbackServer;
import io.apfmalloc.benchmarks.harness.ServerConsole;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionPrefaceAndSettingsFrameWrittenEvent;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP benchmark's server: Netty on 127.0.0.1, one event loop, every channel on the allocator under test, serving
 * the {@link HttpRoute}s. Over {@link HttpProtocol#HTTP1} its pipeline is {@code HttpServerCodec},
 * {@code HttpServerKeepAliveHandler}, {@code HttpObjectAggregator} and the routes; over HTTP/2 it is an
 * {@code SslHandler} (ALPN offers only {@code h2}), {@code Http2FrameCodec} and {@code Http2MultiplexHandler}, whose
 * stream channels (also on the allocator under test) convert frames to HTTP/1-style objects, aggregate and serve the
 * same routes. Responses are buffers of the channel's allocator; the echo answers with the aggregated request body
 * itself.
 *
 * <p>As a program ({@link #main}) it prints {@code PORT <port>} once bound, then answers {@code reset} and
 * {@code stats} ({@link HttpServerStats}) on standard input ({@link ServerConsole}).
 */
public final class HttpBenchServer implements AutoCloseable {
    /** The largest request body aggregated; the echo route's is 64 KiB. */
    private static final int MAX_BODY_BYTES = 1 << 20;
    /**
     * The HTTP/2 receive window of every stream and of each connection. With HTTP/2's default of 64 KiB less one
     * byte, a connection carries one 64 KiB request body at a time and waits for a window update to send the next,
     * so the echo route measured the flow-control round trips (291 requests/s) rather than the server.
     */
    private static final int HTTP2_WINDOW_BYTES = 1 << 20;

    private final LoopbackServer server;
    private final Routes routes;

    private HttpBenchServer(LoopbackServer server, Routes routes) {
        this.server = server;
        this.routes = routes;
    }

    /**
     * Starts a server on an ephemeral port of 127.0.0.1, over epoll where it is available, else NIO.
     *
     * @param allocatorKind the allocator of the server channel, every connection and every HTTP/2 stream
     * @param protocol clear-text HTTP/1.1, or HTTP/2 over TLS with the protocol's TLS provider
     * @param keys the TLS identity; ignored for clear text
     */
    public static HttpBenchServer start(ComparedAllocator allocatorKind, HttpProtocol protocol, SelfSignedKeyStore keys)
            throws Exception {
        ByteBufAllocator allocator = allocatorKind.createChecked();
        SslContext tls = protocol.isTls() ? tlsContext(protocol, keys) : null;
        EchoTransport transport = EchoTransport.EPOLL.isAvailable() ? EchoTransport.EPOLL : EchoTransport.NIO;
        Routes routes = new Routes();
        return new HttpBenchServer(LoopbackServer.bind(allocator, transport.ioHandlerFactory(),
            transport.serverChannel(), "http-server-" + allocatorKind.label(), 1, new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel connection) {
                    if (tls == null) {
                        connection.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                            new HttpObjectAggregator(MAX_BODY_BYTES), routes);
                    } else {
                        connection.pipeline().addLast(tls.newHandler(connection.alloc()),
                            Http2FrameCodecBuilder.forServer()
                                .initialSettings(Http2Settings.defaultSettings()
                                    .initialWindowSize(HTTP2_WINDOW_BYTES)).build(),
                            new Http2MultiplexHandler(streamInitializer(allocator, routes)),
                            new Http2ConnectionWindow());
                    }
                }
            }), routes);
    }

    /**
     * A stream channel's pipeline. Its allocator is set explicitly: Netty's stream channels start with
     * {@code ByteBufAllocator.DEFAULT}, not their connection's, so the aggregation and the responses would leave the
     * allocator under test.
     */
    private static ChannelInitializer<Http2StreamChannel> streamInitializer(ByteBufAllocator allocator,
                                                                            Routes routes) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.config().setAllocator(allocator);
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                    new HttpObjectAggregator(MAX_BODY_BYTES), routes);
            }
        };
    }

    private static SslContext tlsContext(HttpProtocol protocol, SelfSignedKeyStore keys) throws Exception {
        return SslContextBuilder.forServer(keys.keyManagers())
            .sslProvider(protocol.sslProvider())
            .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
            .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
            .build();
    }

    /** Returns the port the server listens on. */
    public int port() {
        return server.port();
    }

    /** Returns the requests answered since the last {@link #reset()} (or the start), all routes. */
    public long requestsServed() {
        return routes.served.sum();
    }

    /** Starts measuring anew: zeroes the request count, restarts the peaks and the CPU clock. */
    public synchronized void reset() {
        routes.served.reset();
        server.meter().reset();
    }

    /** Returns the figures since the last {@link #reset()}. */
    public synchronized HttpServerStats stats() {
        return new HttpServerStats(server.meter().reading(), routes.served.sum());
    }

    /** Stops the server and its event loop. */
    @Override
    public void close() throws InterruptedException {
        server.close();
    }

    /**
     * Runs a server until {@code quit} or the end of standard input.
     *
     * @param args the allocator ({@code apf}, {@code pooled}, {@code adaptive}, {@code unpooled}), the protocol
     *             ({@code http1}, {@code h2-jdk}, {@code h2-openssl}) and, for TLS, the key store file that
     *             {@link SelfSignedKeyStore#generate} made
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: HttpBenchServer <apf|pooled|adaptive|unpooled> <http1|h2-jdk|h2-openssl>"
                + " [key store]");
            System.exit(2);
        }
        HttpProtocol protocol = HttpProtocol.of(args[1]);
        SelfSignedKeyStore keys = protocol.isTls() ? SelfSignedKeyStore.load(Path.of(args[2])) : null;
        try (HttpBenchServer server = start(ComparedAllocator.of(args[0]), protocol, keys)) {
            ServerConsole.serve(server.port(), server::reset, () -> server.stats().toLine());
        }
    }

    /**
     * Widens the connection's receive window to {@link #HTTP2_WINDOW_BYTES} once the connection preface is written
     * (the initial settings only widen the streams'), and closes the connection on an exception.
     */
    private static final class Http2ConnectionWindow extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof Http2ConnectionPrefaceAndSettingsFrameWrittenEvent) {
                ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(
                    HTTP2_WINDOW_BYTES - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Answers the routes, for every connection and stream; counts the requests. */
    @ChannelHandler.Sharable
    private static final class Routes extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final LongAdder served = new LongAdder();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            HttpRoute route = request.decoderResult().isSuccess()
                ? HttpRoute.of(request.method().name(), request.uri()) : null;
            FullHttpResponse response;
            if (route == null) {
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                    Unpooled.EMPTY_BUFFER);
            } else {
                ByteBuf body;
                if (route == HttpRoute.ECHO) {
                    // The aggregated body is already a buffer of this allocator: sent back as it is.
                    body = request.content().retainedDuplicate();
                } else {
                    body = ctx.alloc().buffer(route.responseLength());
                    route.writeResponseBody(body);
                }
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
                served.increment();
            }
            HttpUtil.setContentLength(response, response.content().readableBytes());
            ctx.writeAndFlush(response);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
