package io.apfmalloc.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real HTTP/1.1 requests from the JDK's HttpClient against the server: keep-alive, chunked and sized bodies. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpHelloServerTest {
    @Test
    void answersKeepAliveRequestsAndEchoesChunkedBodies() throws Exception {
        try (HttpHelloServer server = HttpHelloServer.start(0);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                 .connectTimeout(Duration.ofSeconds(10)).build()) {
            URI base = URI.create("http://127.0.0.1:" + server.port());

            for (int i = 0; i < 3; i++) {
                HttpResponse<String> hello = client.send(HttpRequest.newBuilder(base.resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertEquals(200, hello.statusCode());
                assertEquals("Hello, world!\n", hello.body());
                assertEquals(HttpClient.Version.HTTP_1_1, hello.version());
                assertEquals("14", hello.headers().firstValue("content-length").orElseThrow());
            }

            byte[] body = new byte[300_000];
            new Random(11).nextBytes(body);
            // A publisher of unknown length: HttpClient sends it with Transfer-Encoding: chunked, one chunk per
            // buffer it reads, and the server's HttpObjectAggregator joins the chunks into one of our buffers.
            HttpRequest chunked = HttpRequest.newBuilder(base.resolve("/echo"))
                .header("content-type", "application/x-test")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
            HttpResponse<byte[]> echoed = client.send(chunked, HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, echoed.statusCode());
            assertEquals("application/x-test", echoed.headers().firstValue("content-type").orElseThrow());
            assertArrayEquals(body, echoed.body());

            HttpRequest sized = HttpRequest.newBuilder(base.resolve("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, 5000))
                .build();
            HttpResponse<byte[]> echoedSized = client.send(sized, HttpResponse.BodyHandlers.ofByteArray());
            assertArrayEquals(Arrays.copyOf(body, 5000), echoedSized.body());

            HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().startsWith("direct: usedMemory="), metrics.body());

            HttpResponse<String> tooLarge = client.send(HttpRequest.newBuilder(base.resolve("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[HttpHelloServer.MAX_BODY_BYTES + 1]))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(413, tooLarge.statusCode());

            // Six requests; the first five over one kept-alive connection (the 413 closes its connection).
            assertEquals(1, server.connectionsAccepted(), "requests shared one kept-alive connection");
        }
    }
}
