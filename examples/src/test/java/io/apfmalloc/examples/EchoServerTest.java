package io.apfmalloc.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The echo server over real loopback sockets, on NIO and (where available) epoll, and its metrics output. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoServerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void echoesOverARealSocketAndReportsMetrics(Transport transport) throws Exception {
        if (transport == Transport.EPOLL) {
            assumeTrue(Epoll.isAvailable(), () -> "epoll unavailable: " + Epoll.unavailabilityCause());
        }
        ByteArrayOutputStream metrics = new ByteArrayOutputStream();
        PrintStream metricsOut = new PrintStream(metrics, true, StandardCharsets.UTF_8);
        try (EchoServer server = EchoServer.start(0, transport, 0, metricsOut);
             Socket socket = new Socket("127.0.0.1", server.port())) {
            assertEquals(transport, server.transport());
            Random random = new Random(7);
            for (int size : new int[] {1, 100, 4096, 100_000}) {
                byte[] payload = new byte[size];
                random.nextBytes(payload);
                assertArrayEquals(payload, echo(socket, payload), "payload of " + size + " bytes");
            }
            server.printMetrics();
        }
        String report = metrics.toString(StandardCharsets.UTF_8);
        RawMallocTest.assertPrinted(report, "^direct: usedMemory=\\d+ limit=\\d+ liveBytes=\\d+ liveBuffers=\\d+ ");
        // The server's reads came from size classes of our allocator, served by the event loops' caches.
        RawMallocTest.assertPrinted(report, "^  size class\\s+\\d+ B: allocations=[1-9]\\d* fetches=[1-9]");
    }

    /** The documented way to run it: main() with a port, a transport and a metrics interval, Enter, then quit. */
    @Test
    void mainServesUntilQuitAndPrintsMetricsOnTheIntervalAndOnEnter() throws Exception {
        InputStream originalIn = System.in;
        PipedOutputStream console = new PipedOutputStream();
        System.setIn(new PipedInputStream(console));
        try (CapturedOutput out = new CapturedOutput()) {
            Thread main = Thread.ofPlatform().name("echo-main").start(() -> {
                try {
                    EchoServer.main(new String[] {"0", "nio", "1"});
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Matcher started = out.await("^echo server on 127\\.0\\.0\\.1:(\\d+) \\(nio\\)", WAIT);
            try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(started.group(1)))) {
                byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
                assertArrayEquals(hello, echo(socket, hello));
            }
            out.await("^direct: usedMemory=", WAIT);                              // the 1-second interval
            int reports = count(out.text(), "direct: usedMemory=");
            console.write("\n".getBytes(StandardCharsets.UTF_8));                 // Enter: a report on demand
            console.flush();
            out.await("(?s)(direct: usedMemory=.*){" + (reports + 1) + "}", WAIT);
            console.write("quit\n".getBytes(StandardCharsets.UTF_8));
            console.flush();
            main.join(WAIT.toMillis());
            assertTrue(!main.isAlive(), "main returns after quit");
        } finally {
            System.setIn(originalIn);
        }
    }

    private static byte[] echo(Socket socket, byte[] payload) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(payload);
        out.flush();
        return socket.getInputStream().readNBytes(payload.length);
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
