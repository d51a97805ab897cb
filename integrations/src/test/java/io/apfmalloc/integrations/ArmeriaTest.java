package io.apfmalloc.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.AggregationOptions;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import io.apfmalloc.netty.ApfByteBufAllocator;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Armeria recipe (docs/INTEGRATIONS.md): an Armeria server ({@code channelOption}/{@code childChannelOption})
 * and a {@code WebClient} whose {@code ClientFactory} has our allocator ({@code channelOption}), bodies from 1 byte
 * to 4 MiB echoed over 127.0.0.1, every body checked, and our allocator's metric showing Armeria's event loops
 * allocated the traffic and got every buffer back.
 *
 * <p>What Armeria leaves on another allocator: {@code aggregate()} copies a request or response into a heap array;
 * with {@code AggregationOptions.usePooledObjects(alloc)} (here on the server) it keeps the body in buffers of the
 * channel's allocator, which the response then releases. {@code HttpData.wrap(byte[])} wraps the caller's array.
 */
class ArmeriaTest {
    private static final int MAX_BODY_BYTES = 8 << 20;

    @Test
    void serverAndWebClientEchoBodiesOnOurAllocator() throws InterruptedException {
        ApfByteBufAllocator allocator = new ApfByteBufAllocator(true);
        List<byte[]> bodies = AllocatorTraffic.randomBodies(5, 1, 1000, 64 << 10, 1 << 20, 4 << 20);
        Server server = Server.builder()
            .http(new InetSocketAddress("127.0.0.1", 0))
            .channelOption(ChannelOption.ALLOCATOR, allocator)        // the listening channel
            .childChannelOption(ChannelOption.ALLOCATOR, allocator)   // every accepted connection
            .maxRequestLength(MAX_BODY_BYTES)
            .service("/echo", (ctx, request) -> HttpResponse.of(
                request.aggregate(AggregationOptions.usePooledObjects(ctx.alloc()))
                    .thenApply(echo -> HttpResponse.of(HttpStatus.OK, MediaType.OCTET_STREAM, echo.content()))))
            .build();
        server.start().join();
        ClientFactory factory = ClientFactory.builder()
            .channelOption(ChannelOption.ALLOCATOR, allocator)
            .build();
        try {
            WebClient client = WebClient.builder("http://127.0.0.1:" + server.activeLocalPort())
                .factory(factory)
                .maxResponseLength(MAX_BODY_BYTES)
                .build();
            for (byte[] body : bodies) {
                AggregatedHttpResponse response = client.post("/echo", HttpData.wrap(body)).aggregate().join();
                assertThat(response.status()).isEqualTo(HttpStatus.OK);
                assertThat(response.content().array()).as("a body of %d bytes", body.length).isEqualTo(body);
            }
            AllocatorTraffic.assertEventLoopsAllocated(allocator, "armeria-", 2L * bodies.size());
        } finally {
            factory.closeAsync().join();
            server.stop().join();
        }
        AllocatorTraffic.assertAllReleased(allocator);
    }
}
