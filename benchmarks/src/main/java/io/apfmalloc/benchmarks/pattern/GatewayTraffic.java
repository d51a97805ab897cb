package io.apfmalloc.benchmarks.pattern;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * API-gateway traffic for {@link TrafficCapture}: an HTTPS gateway (Netty's JDK TLS engine, TLS 1.3, HTTP/1.1 with
 * keep-alive) whose channels allocate from the allocator under test. It aggregates each request, forwards it with
 * two added headers over a plain HTTP connection of its own (one per client connection, on the same event loop) to
 * an upstream service, and sends the aggregated answer back; clients are the JDK's {@code HttpClient}.
 *
 * <p>The gateway's allocations are Netty's: TLS reads and the engine's unwrap and wrap buffers, the HTTP codecs'
 * header buffers, the aggregators' buffers, the upstream reads. The traffic is an assumption, stated in
 * {@link TrafficMix}: {@value #GET_PERCENT}% bodiless GETs, the rest POSTs of a JSON body; request headers of
 * 200 B to 2 KiB (a bearer token of 100 to 900 B and a cookie of up to 1,000 B on top of the usual fields: the
 * range the SPDY white paper gives for request headers); JSON bodies and answers of {@link #jsonSize} bytes.
 */
final class GatewayTraffic {
    static final int GET_PERCENT = 40;
    private static final int MAX_BODY_BYTES = 1 << 20;
    private static final String RESPONSE_SIZE_HEADER = "x-response-bytes";
    private static final char[] STORE_PASSWORD = "traffic-capture".toCharArray();

    private GatewayTraffic() {
    }

    /**
     * Runs the upstream service, the gateway on {@code gatewayAllocator} and {@code clients} clients on
     * {@code group} and virtual threads until {@code seconds} have passed; returns the requests answered.
     */
    static long run(EventLoopGroup group, ByteBufAllocator gatewayAllocator, int clients, double seconds, long seed)
            throws Exception {
        Path directory = Files.createTempDirectory("traffic-capture");
        try {
            KeyStore keyStore = selfSignedKeyStore(directory);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, STORE_PASSWORD);
            SslContext tls = SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK).build();
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(keyStore);
            SSLContext clientTls = SSLContext.getInstance("TLS");
            clientTls.init(null, trust.getTrustManagers(), null);
            return run(group, gatewayAllocator, tls, clientTls, clients, seconds, seed);
        } finally {
            try (var files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(directory);
        }
    }

    private static long run(EventLoopGroup group, ByteBufAllocator gatewayAllocator, SslContext tls,
                            SSLContext clientTls, int clients, double seconds, long seed) throws Exception {
        Channel upstream = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childHandler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel channel) {
                    channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY_BYTES),
                        new Upstream());
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        InetSocketAddress upstreamAddress = (InetSocketAddress) upstream.localAddress();
        Channel gateway = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .option(ChannelOption.ALLOCATOR, gatewayAllocator)
            .childOption(ChannelOption.ALLOCATOR, gatewayAllocator)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel channel) {
                    channel.pipeline().addLast(tls.newHandler(channel.alloc()), new HttpServerCodec(),
                        new HttpObjectAggregator(MAX_BODY_BYTES), new Gateway(upstreamAddress));
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(clientTls)
                .build()) {
            URI base = URI.create("https://127.0.0.1:" + ((InetSocketAddress) gateway.localAddress()).getPort());
            return Clients.run(clients, seconds, seed, random -> request(client, base, random));
        } finally {
            gateway.close().sync();
            upstream.close().sync();
        }
    }

    /** Returns a JSON body's size: 1 KiB × 2^x with x exponential of mean 1.2, at most 32 KiB (a long tail). */
    static int jsonSize(SplittableRandom random) {
        double exponent = -1.2 * Math.log(1 - random.nextDouble());
        return (int) Math.min(32 << 10, Math.round(1024 * Math.pow(2, exponent)));
    }

    /** One request through the gateway; checks the answer's size. */
    private static long request(HttpClient client, URI base, SplittableRandom random)
            throws IOException, InterruptedException {
        int answerSize = jsonSize(random);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/v1/orders/" + random.nextInt(1 << 20)))
            .header("accept", "application/json")
            .header("authorization", "Bearer " + token(random, Clients.logUniform(random, 100, 900)))
            .header("x-request-id", UUID.randomUUID().toString())
            .header(RESPONSE_SIZE_HEADER, String.valueOf(answerSize));
        int cookie = random.nextInt(1000);
        if (cookie > 0) {
            request.header("cookie", "session=" + token(random, cookie));
        }
        if (random.nextInt(100) < GET_PERCENT) {
            request.GET();
        } else {
            request.header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json(random, jsonSize(random))));
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200 || response.body().length != answerSize) {
            throw new IOException("gateway answered " + response.statusCode() + " with " + response.body().length
                + " bytes (expected: 200 with " + answerSize + ")");
        }
        return 1;
    }

    private static String token(SplittableRandom random, int length) {
        char[] token = new char[length];
        for (int i = 0; i < length; i++) {
            token[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(token);
    }

    /** Returns {@code size} bytes that look like JSON: a record repeated, cut to the size. */
    static byte[] json(SplittableRandom random, int size) {
        byte[] record = ("{\"id\":" + random.nextInt() + ",\"status\":\"shipped\",\"items\":[1,2,3]},")
            .getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = record[i % record.length];
        }
        return body;
    }

    /**
     * Makes a PKCS #12 key store with a self-signed EC key for 127.0.0.1, with the JDK's {@code keytool} (the JDK
     * has no API for certificates).
     */
    private static KeyStore selfSignedKeyStore(Path directory) throws IOException, InterruptedException,
            GeneralSecurityException {
        Path file = directory.resolve("gateway.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
            "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
            "-keystore", file.toString(), "-storepass", new String(STORE_PASSWORD))
            .redirectErrorStream(true).start();
        byte[] output = keytool.getInputStream().readAllBytes();
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, STORE_PASSWORD);
        }
        return keyStore;
    }

    /** The gateway's side of a client connection: forwards each request upstream, the answer back. */
    private static final class Gateway extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final InetSocketAddress upstreamAddress;
        private ChannelFuture upstream;

        Gateway(InetSocketAddress upstreamAddress) {
            this.upstreamAddress = upstreamAddress;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel inbound = ctx.channel();
            upstream = new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.ALLOCATOR, inbound.alloc())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_BODY_BYTES),
                            new SimpleChannelInboundHandler<FullHttpResponse>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext upstreamContext,
                                                            FullHttpResponse response) {
                                    inbound.writeAndFlush(response.retain());
                                }
                            });
                    }
                })
                .connect(upstreamAddress);
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            request.headers().add("x-forwarded-for", "127.0.0.1").add(HttpHeaderNames.VIA, "1.1 gateway");
            FullHttpRequest forwarded = request.retain();
            upstream.addListener(connected -> {
                if (connected.isSuccess()) {
                    upstream.channel().writeAndFlush(forwarded);
                } else {
                    forwarded.release();
                    ctx.close();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            upstream.channel().close();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The upstream service: answers the size asked for, as JSON, with a server's usual headers. */
    private static final class Upstream extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            int size = Integer.parseInt(request.headers().get(RESPONSE_SIZE_HEADER));
            byte[] body = json(new SplittableRandom(size), size);
            ByteBuf content = ctx.alloc().buffer(size).writeBytes(body);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                content);
            response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, size)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(HttpHeaderNames.DATE, "Tue, 01 Dec 2026 06:00:00 GMT")
                .set(HttpHeaderNames.SERVER, "upstream/1.0")
                .set("x-request-id", String.valueOf(request.headers().get("x-request-id")));
            ctx.writeAndFlush(response);
        }
    }
}
