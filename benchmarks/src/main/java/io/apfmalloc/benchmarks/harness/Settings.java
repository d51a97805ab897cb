package io.apfmalloc.benchmarks.harness;

import io.apfmalloc.core.Setting;
import java.util.Arrays;
import java.util.List;
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

    /**
     * Returns the constant of {@code type} that property {@code name} (or {@code defaultValue}) names by label.
     *
     * @throws IllegalArgumentException naming the property, the label and the accepted ones, for an unknown label
     */
    public static <E extends Enum<E> & Labelled> E label(String name, String defaultValue, Class<E> type) {
        return Labelled.parse(type, name, property(name, defaultValue));
    }

    /**
     * Returns the constants of {@code type} that property {@code name} (or {@code defaultValue}) lists by label,
     * comma-separated.
     *
     * @throws IllegalArgumentException naming the property, the label and the accepted ones, for an unknown label
     */
    public static <E extends Enum<E> & Labelled> List<E> labels(String name, String defaultValue, Class<E> type) {
        return list(name, defaultValue, label -> Labelled.parse(type, name, label));
    }

    /** Returns the space-separated words of property {@code name}, none if unset: extra JVM flags. */
    public static List<String> words(String name) {
        String value = property(name, "");
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }

    /** Returns the size property {@code name} gives ({@link #parseBytes}), or {@code defaultValue}'s. */
    public static long bytes(String name, String defaultValue) {
        return parseBytes(name, property(name, defaultValue));
    }

    /**
     * Parses {@code 256}, {@code 4k}, {@code 4KiB}, {@code 1m}, {@code 2g}: bytes, with binary {@code k}, {@code m}
     * and {@code g}, through the core's size parser ({@link Setting#size}); a unit spelt {@code KiB} or with a
     * trailing {@code B}, and blanks, as the reports print sizes ({@code 4 KiB}), are read as the one-letter form.
     *
     * @param name the property the text comes from, for the error message
     * @throws IllegalArgumentException naming the property, the text and the accepted form, if it is not a size
     */
    public static long parseBytes(String name, String text) {
        String size = text.replaceAll("\\s+", "").replaceFirst("(?i)(?<=[kmg])i?b$|(?<=\\d)b$", "");
        return Setting.size(name, name, 0).parse(size);
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
