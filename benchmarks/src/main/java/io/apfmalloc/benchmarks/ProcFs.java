package io.apfmalloc.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the benchmarks read from Linux's {@code /proc}: this process's resident set and its peak, and the machine's
 * load average. Off Linux (or where a file cannot be read) the figures are -1 or {@code "n/a"}.
 */
public final class ProcFs {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");
    /** Written to {@code clear_refs}, resets the peak resident set ({@code VmHWM}) to the current one. */
    private static final String RESET_PEAK_RSS = "5";

    private ProcFs() {
    }

    /** Returns this process's resident set in bytes ({@code VmRSS}), or -1. */
    public static long residentBytes() {
        return statusBytes("VmRSS:");
    }

    /** Returns the largest resident set in bytes since the process started or {@link #resetPeakResident}, or -1. */
    public static long peakResidentBytes() {
        return statusBytes("VmHWM:");
    }

    /** Makes {@link #peakResidentBytes} start again from the current resident set; returns false if it cannot. */
    public static boolean resetPeakResident() {
        try {
            Files.writeString(CLEAR_REFS, RESET_PEAK_RSS, StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Returns the 1-, 5- and 15-minute load averages separated by spaces, or {@code "n/a"}. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(LOAD_AVERAGE).trim().split("\\s+");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static long statusBytes(String key) {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
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
