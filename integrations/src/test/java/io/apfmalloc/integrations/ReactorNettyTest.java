package io.apfmalloc.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.apfmalloc.netty.ApfByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * The Reactor Netty recipe (docs/INTEGRATIONS.md): {@code HttpServer} and {@code HttpClient}, both on our allocator
 * through {@code option}/{@code childOption(ChannelOption.ALLOCATOR, …)}, echo bodies from 1 byte to 4 MiB over
 * 127.0.0.1, and our allocator's metric shows Reactor's event loops allocated them.
 *
 * <p>What Reactor Netty leaves on another allocator: {@code ByteBufFlux.fromString}/{@code fromInbound} without an
 * allocator argument convert with {@code ByteBufAllocator.DEFAULT} (pass {@code alloc} or use
 * {@code NettyOutbound.sendByteArray}, which takes the channel's), and {@code ByteBufMono.asByteArray()} copies to
 * the Java heap, as every byte-array API does. The event loops ({@code LoopResources}, shared by default) are Netty's,
 * so they get an event-loop cache of our allocator.
 */
class ReactorNettyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void serverAndClientEchoBodiesUpToFourMebibytesOnOurAllocator() throws InterruptedException {
        ApfByteBufAllocator allocator = new ApfByteBufAllocator(true);
        List<byte[]> bodies = AllocatorTraffic.randomBodies(2, 1, 1000, 16 << 10, 64 << 10, 1 << 20, 4 << 20);
        DisposableServer server = HttpServer.create()
            .host("127.0.0.1").port(0)
            .option(ChannelOption.ALLOCATOR, allocator)        // the listening channel
            .childOption(ChannelOption.ALLOCATOR, allocator)   // every accepted connection
            .route(routes -> routes.post("/echo", (request, response) -> response.send(request.receive().retain())))
            .bindNow();
        ConnectionProvider pool = ConnectionProvider.create("apf-test", 4);
        try {
            HttpClient client = HttpClient.create(pool)
                .option(ChannelOption.ALLOCATOR, allocator)
                .baseUrl("http://127.0.0.1:" + server.port());
            List<byte[]> echoed = Flux.fromIterable(bodies)
                .concatMap(body -> client.post().uri("/echo")
                    .send((request, outbound) -> outbound.sendByteArray(Mono.just(body)))
                    .responseSingle((response, content) -> content.asByteArray().defaultIfEmpty(new byte[0])))
                .collectList().block(TIMEOUT);

            assertThat(echoed).hasSize(bodies.size());
            for (int i = 0; i < bodies.size(); i++) {
                assertThat(echoed.get(i)).as("body %d of %d bytes", i, bodies.get(i).length)
                    .isEqualTo(bodies.get(i));
            }
            // A large body goes through many reads and writes on each side, every one a buffer of ours.
            AllocatorTraffic.assertEventLoopsAllocated(allocator, "reactor-http-", 2L * bodies.size());
        } finally {
            pool.disposeLater().block(TIMEOUT);
            server.disposeNow(TIMEOUT);
        }
        AllocatorTraffic.assertAllReleased(allocator);
    }

    @Test
    void aStringFluxWithoutAnAllocatorLeavesOurs() {
        ApfByteBufAllocator allocator = new ApfByteBufAllocator(true);
        // What the class comment warns about, checked: conversion without an allocator takes Netty's default.
        ByteBuf withoutAllocator = ByteBufFlux.fromString(Flux.just("x")).blockFirst(TIMEOUT);
        ByteBuf withOurs = ByteBufFlux.fromString(Flux.just("x"), StandardCharsets.UTF_8, allocator)
            .blockFirst(TIMEOUT);
        try {
            assertThat(withoutAllocator.alloc()).isSameAs(ByteBufAllocator.DEFAULT);
            assertThat(withOurs.alloc()).isSameAs(allocator);
        } finally {
            withoutAllocator.release();
            withOurs.release();
        }
    }
}
