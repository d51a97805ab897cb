package io.apfmalloc.benchmarks.classic;

import io.apfmalloc.benchmarks.harness.KeyValueLine;
import io.apfmalloc.benchmarks.harness.ProcessMemory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A benchmark JVM: one workload on one allocator ({@code -Dclassic.allocator=…}, held by {@link ConstantAllocator}),
 * driven by {@link ClassicBenchmark} over standard input and output. It answers {@code READY rss=<bytes>} once the
 * allocator is loaded (or {@code ERROR <reason>} and exits), then for each {@code run threads=<n> nanos=<n>} a
 * {@link RunResult} line; {@code quit} or the end of input ends it.
 */
public final class ClassicChild {
    private ClassicChild() {
    }

    /**
     * Serves runs of a workload until told to quit.
     *
     * @param args the workload's name
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Workload workload = Workload.named(args[0]);
        ClassicAllocator allocator;
        try {
            allocator = ConstantAllocator.INSTANCE;
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            reply("ERROR " + cause);
            System.exit(1);
            return;
        }
        reply(KeyValueLine.format("READY", Map.of("rss", ProcessMemory.residentSetBytes())));
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = input.readLine(); line != null && !line.equals("quit"); line = input.readLine()) {
            if (!KeyValueLine.tag(line).equals("run")) {
                reply("ERROR unknown command: " + line);
                continue;
            }
            Map<String, String> values = KeyValueLine.parse(line);
            int threads = (int) KeyValueLine.longValue(values, "threads");
            long nanos = KeyValueLine.longValue(values, "nanos");
            ProcessMemory.resetPeakResidentSet();
            try {
                Measurement measurement = workload.run(allocator, threads, nanos);
                reply(new RunResult(measurement.operations(), measurement.nanos(),
                    ProcessMemory.peakResidentSetBytes(), ProcessMemory.residentSetBytes()).toLine());
            } catch (RuntimeException | OutOfMemoryError e) {
                e.printStackTrace();
                reply("ERROR " + workload.name() + " on " + ConstantAllocator.kind().label() + " with " + threads
                    + " threads: " + e);
            }
        }
    }

    /** Builds the {@code run} command line. */
    static String runCommand(int threads, long nanos) {
        return "run threads=" + threads + " nanos=" + nanos;
    }

    /** Prints one protocol line (a message's line breaks become spaces). */
    private static void reply(String line) {
        System.out.println(line.replace('\n', ' ').replace('\r', ' '));
        System.out.flush();
    }
}
