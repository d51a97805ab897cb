package io.apfmalloc.benchmarks.soak;

import io.apfmalloc.benchmarks.harness.ProcessMemory;
import io.apfmalloc.benchmarks.harness.ResultFiles;
import io.apfmalloc.core.ApfAllocator;
import io.apfmalloc.core.HeapAudit;
import io.apfmalloc.netty.ApfByteBufAllocator;
import io.apfmalloc.netty.ApfByteBufAllocatorMetric;
import io.apfmalloc.netty.BufferAudit;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The soak: runs, for {@link SoakConfig#duration()}, an echo server on {@link ApfByteBufAllocator} (checked mode)
 * under a client that verifies every echoed byte, buffers shuttled between the server's event loops and other
 * threads, and a raw-API workload with cross-thread frees on an {@link ApfAllocator} of its own (checked mode); the
 * server allocator's memory has short outages, and a share of the raw allocator's mappings is refused. Every
 * {@link SoakConfig#checkInterval()} it stops every thread that uses the allocators, runs both invariant checkers
 * (every block in exactly one place, no block lost, counters in agreement) and prints a line with held memory.
 * At the end everything is released, the event loops shut down, and both allocators must hold nothing.
 *
 * <p>Run with {@code mvn -B -q -DskipTests -Psoak package} (see docs/RELIABILITY.md). Exits with status 1 if any
 * check failed.
 */
public final class Soak {
    private static final long MIB = 1L << 20;
    private static final int SERVER_THREADS = 2;

    private final SoakConfig config;
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final Outages serverFaults;
    private final Outages rawFaults;
    private final ApfByteBufAllocator server;
    private final ApfAllocator raw;
    private final List<Sample> samples = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private long outages;
    private long checks;
    private long slowestAuditNanos;

    private Soak(SoakConfig config) {
        this.config = config;
        this.serverFaults = new Outages(0, config.seed());
        this.rawFaults = new Outages(config.rawRefusalRate(), config.seed() + 1);
        this.server = ApfByteBufAllocator.builder().checked(true).maxDirectMemory(1L << 30)
            .maxHeapMemory(256 * MIB).faultInjector(serverFaults).build();
        this.raw = ApfAllocator.builder().checked(true).maxMemory(1L << 30).faultInjector(rawFaults).build();
    }

    /** Runs the soak with the settings of the {@code soak.*} system properties. */
    public static void main(String[] args) throws Exception {
        System.exit(run(SoakConfig.fromSystemProperties()) ? 0 : 1);
    }

    /** Runs a soak with {@code config}, printing as it goes; returns whether every check passed. */
    static boolean run(SoakConfig config) throws Exception {
        return new Soak(config).run();
    }

    private boolean run() throws Exception {
        System.out.printf("soak: %s, checks every %s, %s, %d connections, %d raw threads, %d shuttle threads,"
                + " raw refusal rate %.3f, server outages of %s every %s, seed %d%n", format(config.duration()),
            format(config.checkInterval()), config.transport().label(), config.connections(), config.rawThreads(),
            config.shuttleThreads(), config.rawRefusalRate(), format(config.outageLength()),
            format(config.outageEvery()), config.seed());
        PausePoint pause = new PausePoint(config.rawThreads() + config.shuttleThreads());
        RawWorkload rawWork = new RawWorkload(raw, config.rawThreads(), config.seed(), pause, failures);
        Counts counts;
        BufferShuttle shuttle;
        try (SoakServer echo = SoakServer.start(server, config.transport(), SERVER_THREADS, failures);
             StreamClient client = new StreamClient(config.transport(), echo.port(), config.connections(),
                 config.seed(), failures)) {
            List<EventExecutor> loops = echo.loops();
            shuttle = new BufferShuttle(server, loops, config.shuttleThreads(), config.seed(), pause, failures);
            counts = new Counts(client, rawWork, shuttle, echo);
            client.start();
            rawWork.start();
            shuttle.start();
            runUntilDone(pause, loops, rawWork, counts);

            serverFaults.set(false);
            client.stop();
            shuttle.stop();
            rawWork.stop();
            new PausePoint(0).stopTheWorld(loops, () -> check(rawWork, counts, "idle"));
        }
        printSummary(counts, finalRelease(), rawWork, shuttle);
        writeCsv();
        return failures.isEmpty();
    }

    private void runUntilDone(PausePoint pause, List<EventExecutor> loops, RawWorkload rawWork, Counts counts)
            throws InterruptedException {
        long end = startNanos + config.duration().toNanos();
        long nextCheck = startNanos + config.checkInterval().toNanos();
        long outageStart = config.outageEvery().isZero() ? Long.MAX_VALUE
            : startNanos + config.outageEvery().toNanos();
        long outageEnd = Long.MAX_VALUE;
        while (failures.isEmpty()) {
            long now = System.nanoTime();
            if (now >= outageEnd) {
                serverFaults.set(false);
                outageEnd = Long.MAX_VALUE;
            }
            if (now >= outageStart) {
                serverFaults.set(true);
                outages++;
                outageEnd = now + config.outageLength().toNanos();
                outageStart = now + config.outageEvery().toNanos();
            }
            if (now >= nextCheck || now >= end) {
                pause.stopTheWorld(loops, () -> check(rawWork, counts, "ok"));
                nextCheck = System.nanoTime() + config.checkInterval().toNanos();
                if (now >= end) {
                    return;
                }
            }
            long wake = Math.min(Math.min(nextCheck, end), Math.min(outageStart, outageEnd));
            Thread.sleep(Math.max(1, (wake - System.nanoTime()) / 1_000_000));
        }
    }

    /** Runs both invariant checkers and records a sample; only while every thread using the allocators waits. */
    private void check(RawWorkload rawWork, Counts counts, String label) {
        long before = System.nanoTime();
        BufferAudit serverAudit = server.audit();
        HeapAudit rawAudit = rawWork.audit();
        long auditNanos = System.nanoTime() - before;
        slowestAuditNanos = Math.max(slowestAuditNanos, auditNanos);
        checks++;
        List<String> problems = new ArrayList<>(serverAudit.problems());
        rawAudit.problems().forEach(problem -> problems.add("raw: " + problem));
        ApfByteBufAllocatorMetric metric = server.metric();
        Sample sample = new Sample(seconds(), counts.verifiedBytes(), counts.rawOperations(), counts.roundTrips(),
            metric.usedDirectMemory() + metric.usedHeapMemory(), metric.liveDirectBytes() + metric.liveHeapBytes(),
            raw.stats().mappedBytes(), rawWork.liveBytes(), ProcessMemory.residentSetBytes(), auditNanos,
            serverFaults.refused() + rawFaults.refused(), counts.resets());
        samples.add(sample);
        System.out.println(sample.line(config.duration().toSeconds(), problems.isEmpty() ? label : "FAILED"));
        if (!problems.isEmpty()) {
            failures.add(new IllegalStateException("invariant check failed: " + String.join("; ", problems)));
        }
    }

    /** Trims both allocators once every thread that used them ended; they must then hold nothing. */
    private long[] finalRelease() {
        server.trim();
        raw.trim();
        BufferAudit serverAudit = server.audit();
        HeapAudit rawAudit = raw.audit(new long[0]);
        long serverHeld = server.metric().usedDirectMemory() + server.metric().usedHeapMemory();
        long rawHeld = raw.stats().mappedBytes();
        if (!serverAudit.isConsistent() || !rawAudit.isConsistent() || serverHeld != 0 || rawHeld != 0
            || serverAudit.direct().allocationsWithUsers() != 0 || serverAudit.heap().allocationsWithUsers() != 0) {
            failures.add(new IllegalStateException("after the end, the allocators still hold memory: server "
                + serverHeld + " B, raw " + rawHeld + " B; " + serverAudit + "; " + rawAudit));
        }
        return new long[] {serverHeld, rawHeld};
    }

    private void printSummary(Counts counts, long[] heldAtEnd, RawWorkload rawWork, BufferShuttle shuttle) {
        Sample last = samples.getLast();
        System.out.println();
        System.out.printf("duration           %s (%d checks, slowest audit %.1f ms)%n", format(Duration.ofNanos(
            System.nanoTime() - startNanos)), checks, slowestAuditNanos / 1e6);
        System.out.printf("threads            %d server event loops, 2 client event loops, %d raw, %d shuttle%n",
            SERVER_THREADS, rawWork.threads(), shuttle.threads());
        System.out.printf("echoed and checked %,d MiB over %d connections (%d read buffers refused, %d connections"
            + " replaced)%n", counts.verifiedBytes() / MIB, config.connections(), counts.refusedReads(),
            counts.resets());
        System.out.printf("raw operations     %,d (%,d frees on another thread, %,d refused allocations)%n",
            rawWork.operations(), rawWork.crossThreadFrees(), rawWork.refused());
        System.out.printf("buffers shuttled   %,d round trips (%,d refused allocations)%n", shuttle.roundTrips(),
            shuttle.refused());
        System.out.printf("faults injected    %,d mappings refused (%d server outages, raw refusal rate %.3f)%n",
            serverFaults.refused() + rawFaults.refused(), outages, config.rawRefusalRate());
        System.out.printf("held when idle     server %.1f MiB, raw %.1f MiB (caches and retained superblocks)%n",
            last.serverHeld() / (double) MIB, last.rawMapped() / (double) MIB);
        System.out.printf("held at the end    server %d B, raw %d B (event loops ended, trimmed)%n", heldAtEnd[0],
            heldAtEnd[1]);
        System.out.printf("blocks lost        %s%n", failures.isEmpty() ? "0" : "see the failures below");
        failures.stream().limit(10).forEach(failure -> {
            System.out.println("FAILURE: " + failure);
            failure.printStackTrace(System.out);
        });
        System.out.println(failures.isEmpty() ? "PASSED" : "FAILED (" + failures.size() + " failures)");
    }

    private void writeCsv() throws IOException {
        Files.createDirectories(config.results());
        Path csv = new ResultFiles(config.results(), "soak").file("csv");
        try (PrintStream out = new PrintStream(Files.newOutputStream(csv), false, StandardCharsets.UTF_8)) {
            out.println(Sample.CSV_HEADER);
            samples.forEach(sample -> out.println(sample.csv()));
        }
        System.out.println("samples: " + csv.toAbsolutePath());
    }

    private double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String format(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds == 0 ? duration.toMillis() + " ms"
            : String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    /** The running totals a sample reads. */
    private record Counts(StreamClient client, RawWorkload rawWork, BufferShuttle shuttle, SoakServer echo) {
        long verifiedBytes() {
            return client.verifiedBytes();
        }

        long rawOperations() {
            return rawWork.operations();
        }

        long roundTrips() {
            return shuttle.roundTrips();
        }

        long resets() {
            return client.resets();
        }

        long refusedReads() {
            return echo.refusedReads();
        }
    }

    /** What one check saw. */
    private record Sample(double seconds, long verifiedBytes, long rawOperations, long roundTrips, long serverHeld,
                          long serverLive, long rawMapped, long rawLive, long rss, long auditNanos,
                          long refusedMappings, long resets) {
        static final String CSV_HEADER = "seconds,echoed_bytes,raw_operations,shuttle_round_trips,"
            + "server_held_bytes,server_live_bytes,raw_mapped_bytes,raw_live_bytes,rss_bytes,audit_ms,"
            + "refused_mappings,connection_resets";

        String line(long totalSeconds, String verdict) {
            return String.format(Locale.ROOT, "[%5.0f/%d s] echoed %,7d MiB  raw ops %,11d  shuttled %,9d  "
                    + "server held %6.1f MiB (live %5.1f)  raw held %6.1f MiB (live %5.1f)  RSS %5d MiB  "
                    + "audit %5.1f ms  refused %,6d  resets %,4d  %s", seconds, totalSeconds, verifiedBytes / MIB,
                rawOperations, roundTrips, serverHeld / (double) MIB, serverLive / (double) MIB,
                rawMapped / (double) MIB, rawLive / (double) MIB, rss / MIB, auditNanos / 1e6, refusedMappings,
                resets, verdict);
        }

        String csv() {
            return String.format(Locale.ROOT, "%.1f,%d,%d,%d,%d,%d,%d,%d,%d,%.2f,%d,%d", seconds, verifiedBytes,
                rawOperations, roundTrips, serverHeld, serverLive, rawMapped, rawLive, rss, auditNanos / 1e6,
                refusedMappings, resets);
        }
    }
}
