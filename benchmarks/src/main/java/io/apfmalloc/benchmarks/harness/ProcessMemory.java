package io.apfmalloc.benchmarks.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this process occupies in memory, as the kernel counts it. */
public final class ProcessMemory {
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    /** Returns this process's resident set from {@code /proc/self/status}, or -1 if it cannot be read. */
    public static long residentSetBytes() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    return 1024 * Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
