package io.apfmalloc.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.apfmalloc.netty.ApfByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Vert.x 5 on our allocator, through a transport that sets it on Vert.x's bootstraps ({@link AllocatorTransport}):
 * the HTTP server and client serve bodies from 1 byte to 2 MiB over 127.0.0.1 correctly, from buffers of ours, but
 * Vert.x never releases the buffers it reads, so this is a finding, not a recipe (docs/INTEGRATIONS.md). Armeria
 * ({@link ArmeriaTest}) is the tested framework of that kind.
 *
 * <p>Why: Vert.x 5.0.7's {@code VertxHandler.safeBuffer} copies a buffer it read into a heap buffer of its own
 * ({@code VertxByteBufAllocator}, unpooled) and releases the original only when the original's allocator is exactly
 * a {@code PooledByteBufAllocator} or an {@code AdaptiveByteBufAllocator} (or it is a {@code CompositeByteBuf});
 * any other buffer is taken to be unpooled heap memory and handed to the application as it is, for the garbage
 * collector. Our buffers are neither, so each one read stays allocated. Without the transport, Vert.x's channels
 * use {@code VertxByteBufAllocator.POOLED_ALLOCATOR}, its own {@code PooledByteBufAllocator}.
 */
class VertxTest {
    private static final long TIMEOUT_SECONDS = 30;

    @Test
    void vertxServesOnOurAllocatorButNeverReleasesTheBuffersItReads() throws Exception {
        ApfByteBufAllocator allocator = new ApfByteBufAllocator(true);
        List<byte[]> bodies = AllocatorTraffic.randomBodies(4, 1, 1000, 64 << 10, 1 << 20, 2 << 20);
        long bodyBytes = bodies.stream().mapToLong(body -> body.length).sum();
        Vertx vertx = Vertx.builder().withTransport(new AllocatorTransport(Transport.NIO, allocator)).build();
        try {
            HttpServer server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> request.response().end(body)))
                .listen(0, "127.0.0.1").await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            HttpClientAgent client = vertx.createHttpClient();
            for (byte[] body : bodies) {
                Buffer echoed = awaitEcho(client.request(new RequestOptions().setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1").setPort(server.actualPort()).setURI("/echo"))
                    .compose(request -> request.send(Buffer.buffer(body)))
                    .compose(HttpClientResponse::body), allocator, body.length);
                assertThat(echoed.getBytes()).as("a body of %d bytes", body.length).isEqualTo(body);
            }
            AllocatorTraffic.assertEventLoopsAllocated(allocator, "vert.x-eventloop-thread-", 2L * bodies.size());
            client.close().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            server.close().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        // Every body was read twice (the server's request, the client's response) into buffers never released.
        // If this fails, Vert.x has started releasing them: the recipe in docs/INTEGRATIONS.md can become one.
        assertThat(allocator.metric().liveDirectBytes()).as("%s", allocator.metric())
            .isGreaterThanOrEqualTo(2 * bodyBytes);
    }

    /** Waits for one echo; a timeout fails with what the event loops were doing and what the allocator holds. */
    private static Buffer awaitEcho(Future<Buffer> echo, ApfByteBufAllocator allocator, int bodyLength)
            throws Exception {
        try {
            return echo.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException timeout) {
            throw new AssertionError("no echo of " + bodyLength + " bytes in " + TIMEOUT_SECONDS + " s; "
                + allocator.metric() + "\n" + AllocatorTraffic.threadDump("vert.x-"), timeout);
        }
    }
}
