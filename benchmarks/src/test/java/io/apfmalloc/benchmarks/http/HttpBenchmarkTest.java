package io.apfmalloc.benchmarks.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import io.netty.handler.ssl.OpenSsl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP benchmark's server answered by the JDK's HttpClient (every route, every body checked), and the whole
 * benchmark at its smallest with real server JVMs, wrk and h2load: skipped where the tool is not installed
 * ({@code benchmarks/install-http-load-tools.sh}).
 */
class HttpBenchmarkTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void servesEveryRouteWithTheRightBodiesOverEveryProtocol(@TempDir Path directory) throws Exception {
        SelfSignedKeyStore keys = SelfSignedKeyStore.load(SelfSignedKeyStore.generate(directory.resolve("k.p12")));
        for (HttpProtocol protocol : HttpProtocol.values()) {
            if (protocol == HttpProtocol.H2_OPENSSL && !OpenSsl.isAvailable()) {
                continue;
            }
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .version(protocol.isTls() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
            if (protocol.isTls()) {
                builder.sslContext(keys.clientContext());
            }
            try (HttpBenchServer server = HttpBenchServer.start(ComparedAllocator.APF, protocol, keys);
                 HttpClient client = builder.build()) {
                String base = (protocol.isTls() ? "https" : "http") + "://127.0.0.1:" + server.port();
                for (HttpRoute route : HttpRoute.values()) {
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + route.path()))
                        .timeout(TIMEOUT);
                    if (route.method().equals("POST")) {
                        request.POST(HttpRequest.BodyPublishers.ofByteArray(route.requestBody()));
                    }
                    HttpResponse<byte[]> response = client.send(request.build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(200, response.statusCode(), protocol.label() + " " + route.label());
                    assertEquals(protocol.isTls() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1,
                        response.version(), protocol.label());
                    assertArrayEquals(route.responseBody(), response.body(), protocol.label() + " " + route.label());
                }
                assertEquals(HttpRoute.values().length, server.requestsServed(), protocol.label());
                assertEquals(64 << 10, HttpRoute.ECHO.requestBody().length);
            }
        }
    }

    @Test
    void wrkDrivesTheHttp1ServersOfTwoAllocators(@TempDir Path results) throws Exception {
        assumeTrue(LoadTool.WRK.isInstalled(), "wrk is not installed (benchmarks/install-http-load-tools.sh)");
        HttpReport report = runBenchmark(HttpProtocol.HTTP1, List.of(HttpRoute.values()), results);
        assertEquals(2 * HttpRoute.values().length, report.runs().size());
        assertEquals(2 * HttpRoute.values().length, report.cells().size());
        assertTrue(report.headline().contains("| default | http1 | echo |"), report.headline());
    }

    @Test
    void h2loadDrivesTheTlsServersOfTwoAllocators(@TempDir Path results) throws Exception {
        assumeTrue(LoadTool.H2LOAD.isInstalled(), "h2load is not installed (benchmarks/install-http-load-tools.sh)");
        HttpReport report = runBenchmark(HttpProtocol.H2_JDK, List.of(HttpRoute.ECHO), results);
        assertEquals(2, report.runs().size());
        Path log = Files.list(results).filter(Files::isDirectory).findFirst().orElseThrow()
            .resolve("h2load-latency.log");
        assertEquals(report.runs().getLast().load().requests(), Files.readAllLines(log).size(),
            "the latency log holds the last run's requests, not the runs' before it too");
    }

    /** Runs apf and pooled for 1 s per route, no warm-up, and checks what every run and the files say. */
    private static HttpReport runBenchmark(HttpProtocol protocol, List<HttpRoute> routes, Path results)
            throws Exception {
        System.setProperty("java.awt.headless", "true");
        HttpConfig config = new HttpConfig(List.of(JvmMode.DEFAULT), List.of(protocol), routes,
            List.of(ComparedAllocator.APF, ComparedAllocator.POOLED), 4, 2, 0, 1, 0, 1, true, List.of(), results);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        HttpBenchmark benchmark = new HttpBenchmark(config, new PrintStream(progress, true, StandardCharsets.UTF_8));

        HttpReport report = benchmark.run();
        List<Path> files = benchmark.write(report);

        for (HttpRun run : report.runs()) {
            assertTrue(run.load().requests() > 0, "the tool completed requests: " + run);
            assertEquals(0, run.load().errors(), "no socket errors and only 2xx responses: " + run);
            assertTrue(run.server().requests() >= run.load().requests(), "the server served them: " + run);
            assertTrue(run.server().cpuMicrosPerRequest() > 0 && run.server().meter().peakRssBytes() > 0
                && run.server().meter().peakHeldBytes() > 0, "server figures: " + run);
            assertTrue(run.load().p50Micros() > 0 && run.load().p99Micros() >= run.load().p50Micros(), "latency");
        }
        String shown = progress.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("measure…") && shown.contains("req/s"), "progress lines: " + shown);
        Path csv = files.stream().filter(file -> file.toString().endsWith(".csv")).findFirst().orElseThrow();
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", HttpReport.CSV_COLUMNS), lines.getFirst());
        assertEquals(1 + report.runs().size(), lines.size(), "header and one row per run");
        for (String row : lines.subList(1, lines.size())) {
            assertEquals(HttpReport.CSV_COLUMNS.size(), row.split(",", -1).length, row);
        }
        assertTrue(Files.readString(files.stream().filter(file -> file.toString().endsWith(".json")).findFirst()
            .orElseThrow()).contains("\"cpu_vs_lowest_peer\": "));
        assertTrue(files.stream().anyMatch(file -> file.toString().endsWith(".png")), "the chart: " + files);
        return report;
    }
}
