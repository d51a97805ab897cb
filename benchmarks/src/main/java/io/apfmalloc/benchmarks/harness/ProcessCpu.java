package io.apfmalloc.benchmarks.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The CPU time a process has used, user and system together, over all its threads, as the kernel counts it: from
 * Linux's {@code /proc/<pid>/stat}, else from {@link ProcessHandle.Info#totalCpuDuration()}; -1 where neither
 * answers.
 */
public final class ProcessCpu {
    /**
     * Linux's {@code USER_HZ}, the unit of {@code /proc/<pid>/stat}'s times: 100 on every mainstream kernel build
     * (it is part of the kernel's user-space ABI, whatever the scheduler's tick). One tick, 10 ms, is the resolution.
     */
    static final long TICKS_PER_SECOND = 100;
    /** {@code utime}'s place among the fields after the command name's closing parenthesis (field 14 of stat). */
    private static final int USER_TICKS_FIELD = 11;
    /** {@code stime}'s place there (field 15). */
    private static final int SYSTEM_TICKS_FIELD = 12;

    private ProcessCpu() {
    }

    /** Returns the CPU time process {@code pid} has used so far in nanoseconds, or -1 if it cannot be read. */
    public static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.US_ASCII);
            return parseStatTicks(stat) * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration())
                .map(Duration::toNanos).orElse(-1L);
        }
    }

    /**
     * Returns {@code utime + stime} of a {@code /proc/<pid>/stat} line, in ticks. The command name (field 2) is in
     * parentheses and may itself hold spaces and parentheses, so the fields are counted from its last {@code ')'}.
     *
     * @throws IllegalArgumentException if the line is not such a line
     */
    static long parseStatTicks(String stat) {
        int nameEnd = stat.lastIndexOf(')');
        if (nameEnd < 0) {
            throw new IllegalArgumentException("stat: no command name in \"" + stat + "\"");
        }
        String[] fields = stat.substring(nameEnd + 1).trim().split("\\s+");
        if (fields.length <= SYSTEM_TICKS_FIELD) {
            throw new IllegalArgumentException("stat: " + fields.length + " fields after the name (expected: > "
                + SYSTEM_TICKS_FIELD + ")");
        }
        return Long.parseLong(fields[USER_TICKS_FIELD]) + Long.parseLong(fields[SYSTEM_TICKS_FIELD]);
    }
}
