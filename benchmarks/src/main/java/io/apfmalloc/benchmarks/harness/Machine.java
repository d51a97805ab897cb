package io.apfmalloc.benchmarks.harness;

import io.netty.util.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a report records about the machine and the JVM it ran on. */
public final class Machine {
    private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    private Machine() {
    }

    /**
     * Returns the date, the JVM, the OS, the CPUs, Netty's version and the load average now ({@code loadavg.start}),
     * name to value, in a map the caller may add to.
     */
    public static Map<String, String> describe() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("date", LocalDateTime.now().toString());
        environment.put("java.version", System.getProperty("java.version"));
        environment.put("java.vm.name", System.getProperty("java.vm.name"));
        environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"));
        environment.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        environment.put("cpu", cpuModel());
        environment.put("netty", Version.identify().getOrDefault("netty-buffer",
            Version.identify().values().iterator().next()).artifactVersion());
        environment.put("loadavg.start", loadAverage());
        return environment;
    }

    /**
     * Returns the 1-, 5- and 15-minute load averages from {@code /proc/loadavg}, separated by spaces, or
     * {@code unknown}.
     */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(LOAD_AVERAGE, StandardCharsets.US_ASCII).trim().split("\\s+");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(CPU_INFO, StandardCharsets.US_ASCII).stream()
                .filter(line -> line.startsWith("model name")).map(line -> line.substring(line.indexOf(':') + 1)
                .trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
