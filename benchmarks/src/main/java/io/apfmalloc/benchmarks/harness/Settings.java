package io.apfmalloc.benchmarks.harness;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Benchmark settings read from system properties, where an empty value means the default. */
public final class Settings {
    private Settings() {
    }

    /** Returns the trimmed value of system property {@code name}, or {@code defaultValue} if unset or blank. */
    public static String property(String name, String defaultValue) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    /** Returns the comma-separated items of property {@code name} (or of {@code defaultValue}), each parsed. */
    public static <T> List<T> list(String name, String defaultValue, Function<String, T> parse) {
        return Arrays.stream(property(name, defaultValue).split(",")).map(String::trim).filter(s -> !s.isEmpty())
            .map(parse).toList();
    }

    /** Returns the space-separated words of property {@code name}, none if unset: extra JVM flags. */
    public static List<String> words(String name) {
        String value = property(name, "");
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }

    /**
     * Parses {@code 256}, {@code 4k}, {@code 4KiB}, {@code 1m}, {@code 2g}: bytes, with binary {@code k}, {@code m}
     * and {@code g}.
     */
    public static long parseBytes(String text) {
        String size = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        int shift = switch (size.isEmpty() ? ' ' : size.charAt(size.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? size : size.substring(0, size.length() - 1);
        return Math.multiplyExact(Long.parseLong(digits.trim()), 1L << shift);
    }

    /** Formats a size as {@link #parseBytes} reads it: {@code 256 B}, {@code 4 KiB}, {@code 1 MiB}, {@code 2 GiB}. */
    public static String formatBytes(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            int shift = 30 - 10 * i;
            if (bytes >= 1L << shift && bytes % (1L << shift) == 0) {
                return (bytes >> shift) + " " + units[i];
            }
        }
        return bytes + " B";
    }
}
