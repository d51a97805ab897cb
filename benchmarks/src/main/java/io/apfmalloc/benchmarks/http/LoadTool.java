package io.apfmalloc.benchmarks.http;

import io.apfmalloc.benchmarks.harness.CpuPinning;
import io.apfmalloc.benchmarks.harness.KeyValueLine;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The load generators, run as processes on the CPUs the server is not pinned to ({@link CpuPinning}), each with one
 * thread: {@code wrk} (Debian package {@code wrk}) for HTTP/1.1 and {@code h2load} (Debian package
 * {@code nghttp2-client}) for HTTP/2 over TLS.
 */
public enum LoadTool {
    /**
     * {@code wrk -t1 -c<connections> -d<seconds>s -s <script>}: the Lua script sets the POST body and prints the
     * summary and latency percentiles (microseconds, from wrk's own histogram) as one {@code RESULT} line.
     */
    WRK("wrk") {
        @Override
        List<String> arguments(LoadRequest request, Path workDirectory) throws IOException {
            return List.of("-t1", "-c" + request.connections(), "-d" + request.seconds() + "s", "--timeout", "10s",
                "-s", wrkScript(request.route(), workDirectory).toString(), request.url());
        }

        @Override
        ToolResult parse(String output, Path workDirectory) {
            String line = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("wrk printed no RESULT line:\n" + output));
            Map<String, String> values = KeyValueLine.parse(line);
            return new ToolResult(KeyValueLine.longValue(values, "requests"),
                KeyValueLine.longValue(values, "micros") / 1e6,
                KeyValueLine.longValue(values, "socketErrors") + KeyValueLine.longValue(values, "statusErrors"),
                number(values, "p50"), number(values, "p90"), number(values, "p99"), number(values, "p999"),
                number(values, "max"));
        }
    },
    /**
     * {@code h2load -t1 -c<connections> -m<streams> -n <requests>}: its summary gives the requests and the rate, and
     * its per-request log ({@code --log-file}) the latencies, whose percentiles are taken here. The run is counted,
     * not timed: h2load 1.52's timed mode ({@code -D}) sometimes never exits after its last client stops, so the
     * count is what the expected rate sends in the requested seconds.
     */
    H2LOAD("h2load") {
        private static final Pattern FINISHED = Pattern.compile("finished in [0-9.]+m?s, ([0-9.]+) req/s");
        private static final Pattern REQUESTS = Pattern.compile("requests: (\\d+) total, (\\d+) started, (\\d+) "
            + "done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout");

        @Override
        List<String> arguments(LoadRequest request, Path workDirectory) throws IOException {
            // h2load appends to its log: without this, every run's percentiles would include the runs before it.
            Files.deleteIfExists(latencyLog(workDirectory));
            List<String> arguments = new ArrayList<>(List.of("-t1", "-c" + request.connections(),
                "-m" + request.streams(), "-n", String.valueOf(request.requestCount()),
                "--log-file=" + latencyLog(workDirectory)));
            if (request.route().requestBody().length > 0) {
                arguments.addAll(List.of("-d", requestBodyFile(request.route(), workDirectory).toString(),
                    "-H", "content-type: application/octet-stream"));
            }
            arguments.add(request.url());
            return arguments;
        }

        @Override
        ToolResult parse(String output, Path workDirectory) throws IOException {
            Matcher finished = FINISHED.matcher(output);
            Matcher requests = REQUESTS.matcher(output);
            if (!finished.find() || !requests.find()) {
                throw new IllegalStateException("h2load printed no summary:\n" + output);
            }
            // "finished in" counts the connection set-up too; the rate is over the measured duration alone.
            double requestsPerSecond = Double.parseDouble(finished.group(1));
            long succeeded = Long.parseLong(requests.group(4));
            double seconds = requestsPerSecond > 0 ? succeeded / requestsPerSecond : 0;
            long errors = Long.parseLong(requests.group(5)) + Long.parseLong(requests.group(6))
                + Long.parseLong(requests.group(7));
            // One line per request: start time (µs since the epoch), HTTP status, microseconds to the response.
            Histogram latency = new Histogram(3);
            for (String line : Files.readAllLines(latencyLog(workDirectory), StandardCharsets.US_ASCII)) {
                String[] fields = line.split("\t");
                if (fields.length == 3) {
                    latency.recordValue(Math.max(0, Long.parseLong(fields[2].trim())));
                }
            }
            return new ToolResult(succeeded, seconds, errors, latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(90), latency.getValueAtPercentile(99),
                latency.getValueAtPercentile(99.9), latency.getMaxValue());
        }
    };

    /** Longer than a run may take beyond its seconds: connecting, the TLS handshakes, draining. */
    private static final long GRACE_SECONDS = 30;
    /** A counted run may take this many times its seconds (the server slower than last time) before it is failed. */
    private static final long SLOWDOWN_ALLOWED = 5;
    private static final List<String> SEARCH_PATH = List.of("/usr/bin", "/usr/local/bin", "/bin");

    private final String command;

    LoadTool(String command) {
        this.command = command;
    }

    /** Returns the tool's arguments for {@code request}, writing any file they name into {@code workDirectory}. */
    abstract List<String> arguments(LoadRequest request, Path workDirectory) throws IOException;

    /** Reads the tool's figures from its {@code output} and the files it wrote into {@code workDirectory}. */
    abstract ToolResult parse(String output, Path workDirectory) throws IOException;

    /** Returns the executable's name. */
    public String command() {
        return command;
    }

    /** Returns whether the executable is on the usual paths. */
    public boolean isInstalled() {
        return SEARCH_PATH.stream().anyMatch(directory -> Files.isExecutable(Path.of(directory, command)));
    }

    /**
     * Runs {@code request} to its end and returns what the tool reported.
     *
     * @param workDirectory where the tool's script, request body, output and log go
     * @param pinning       keeps the tool off the server's CPU, where it can
     * @throws IllegalStateException if the tool fails, runs too long, or prints no figures
     */
    public ToolResult run(LoadRequest request, Path workDirectory, CpuPinning pinning)
        throws IOException, InterruptedException {
        Files.createDirectories(workDirectory);
        List<String> tool = new ArrayList<>(List.of(command));
        tool.addAll(arguments(request, workDirectory));
        List<String> commandLine = pinning.pinAwayFrom(tool, HttpBenchmark.SERVER_CPU);
        File output = workDirectory.resolve(command + ".out").toFile();
        Process process = new ProcessBuilder(commandLine).redirectErrorStream(true).redirectOutput(output).start();
        if (!process.waitFor(SLOWDOWN_ALLOWED * request.seconds() + GRACE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(String.join(" ", commandLine) + " ran past its time");
        }
        String printed = Files.readString(output.toPath(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", commandLine) + " exited with " + process.exitValue()
                + ":\n" + printed);
        }
        return parse(printed, workDirectory);
    }

    private static Path latencyLog(Path workDirectory) {
        return workDirectory.resolve("h2load-latency.log");
    }

    private static Path requestBodyFile(HttpRoute route, Path workDirectory) throws IOException {
        Path file = workDirectory.resolve(route.label() + "-request.body");
        if (!Files.exists(file)) {
            Files.write(file, route.requestBody());
        }
        return file;
    }

    /** Writes the wrk script of {@code route}: its method and body, and a {@code done} that prints the figures. */
    private static Path wrkScript(HttpRoute route, Path workDirectory) throws IOException {
        Path script = workDirectory.resolve("wrk-" + route.label() + ".lua");
        StringBuilder lua = new StringBuilder();
        if (route.requestBody().length > 0) {
            String body = requestBodyFile(route, workDirectory).toAbsolutePath().toString();
            lua.append("wrk.method = \"").append(route.method()).append("\"\n")
                .append("wrk.headers[\"Content-Type\"] = \"application/octet-stream\"\n")
                .append("local file = assert(io.open(\"").append(body).append("\", \"rb\"))\n")
                .append("wrk.body = file:read(\"*a\")\n")
                .append("file:close()\n");
        }
        lua.append("""
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("RESULT requests=%.0f micros=%.0f socketErrors=%.0f statusErrors=%.0f"
                .. " p50=%.0f p90=%.0f p99=%.0f p999=%.0f max=%.0f\\n", summary.requests, summary.duration,
                e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50), latency:percentile(90),
                latency:percentile(99), latency:percentile(99.9), latency.max))
            end
            """);
        Files.writeString(script, lua, StandardCharsets.US_ASCII);
        return script;
    }

    private static double number(Map<String, String> values, String key) {
        return Double.parseDouble(values.get(key));
    }
}
