package io.apfmalloc.benchmarks.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this process occupies in memory, as the kernel counts it: its resident set and the peak of it, from Linux's
 * {@code /proc}. Off Linux (or where a file cannot be read) the figures are -1.
 */
public final class ProcessMemory {
    private static final Path PROC_STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    /** Written to {@code clear_refs}, resets the peak resident set ({@code VmHWM}) to the current one. */
    private static final String RESET_PEAK_RESIDENT_SET = "5";

    private ProcessMemory() {
    }

    /** Returns this process's resident set ({@code VmRSS}) from {@code /proc/self/status}, or -1. */
    public static long residentSetBytes() {
        return statusBytes("VmRSS:");
    }

    /**
     * Returns the largest resident set ({@code VmHWM}) since the process started or since the last
     * {@link #resetPeakResidentSet}, or -1.
     */
    public static long peakResidentSetBytes() {
        return statusBytes("VmHWM:");
    }

    /** Makes {@link #peakResidentSetBytes} start again from the current resident set; returns false if it cannot. */
    public static boolean resetPeakResidentSet() {
        try {
            Files.writeString(CLEAR_REFS, RESET_PEAK_RESIDENT_SET, StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static long statusBytes(String key) {
        try {
            for (String line : Files.readAllLines(PROC_STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith(key)) {
                    return 1024 * Long.parseLong(line.substring(key.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
