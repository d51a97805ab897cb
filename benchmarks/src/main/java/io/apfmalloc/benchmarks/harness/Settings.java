package io.apfmalloc.benchmarks.harness;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import io.apfmalloc.core.Setting;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Benchmark settings read from system properties, where an unset or blank value means the default. A config
 * declares each of its settings with one call here, naming the property in full (so that a search for
 * {@code echo.inflight} finds where it is read); the parsing, and the message that names the property when a value
 * does not parse, are here. {@link #listing()} turns a config back into its properties, for its report.
 */
public final class Settings {
    /** Where a benchmark writes its files unless its {@code *.results} property says otherwise. */
    private static final String RESULTS_DIRECTORY = "results";

    private Settings() {
    }

    /** Returns the trimmed value of system property {@code name}, or {@code defaultValue} if unset or blank. */
    public static String property(String name, String defaultValue) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    /**
     * Returns the {@code int} property {@code name} gives, or {@code defaultValue}.
     *
     * @throws IllegalArgumentException naming the property, if its value is not a whole number
     */
    public static int intValue(String name, int defaultValue) {
        return parsed(name, String.valueOf(defaultValue), "a whole number", Integer::parseInt);
    }

    /**
     * Returns the {@code long} property {@code name} gives, or {@code defaultValue}.
     *
     * @throws IllegalArgumentException naming the property, if its value is not a whole number
     */
    public static long longValue(String name, long defaultValue) {
        return parsed(name, String.valueOf(defaultValue), "a whole number", Long::parseLong);
    }

    /**
     * Returns the decimal property {@code name} gives, or {@code defaultValue}.
     *
     * @throws IllegalArgumentException naming the property, if its value is not a number
     */
    public static double doubleValue(String name, double defaultValue) {
        return parsed(name, String.valueOf(defaultValue), "a number", Double::parseDouble);
    }

    /** Returns whether property {@code name} is {@code true} (any case), or {@code defaultValue} if it is unset. */
    public static boolean booleanValue(String name, boolean defaultValue) {
        return Boolean.parseBoolean(property(name, String.valueOf(defaultValue)));
    }

    /** Returns the directory property {@code name} gives for a benchmark's files, {@code results} by default. */
    public static Path outputDirectory(String name) {
        return Path.of(property(name, RESULTS_DIRECTORY));
    }

    private static <T> T parsed(String name, String defaultValue, String expected, Function<String, T> parse) {
        String text = property(name, defaultValue);
        try {
            return parse.apply(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": " + text + " (expected: " + expected + ")", e);
        }
    }

    /** Returns the comma-separated items of property {@code name} (or of {@code defaultValue}), trimmed. */
    public static List<String> list(String name, String defaultValue) {
        return list(name, defaultValue, item -> item);
    }

    /** Returns the comma-separated items of property {@code name} (or of {@code defaultValue}), each parsed. */
    public static <T> List<T> list(String name, String defaultValue, Function<String, T> parse) {
        return Arrays.stream(property(name, defaultValue).split(",")).map(String::trim).filter(s -> !s.isEmpty())
            .map(parse).toList();
    }

    /**
     * Returns the comma-separated whole numbers of property {@code name} (or of {@code defaultValue}).
     *
     * @throws IllegalArgumentException naming the property, if an item is not a whole number
     */
    public static List<Integer> integers(String name, String defaultValue) {
        return list(name, defaultValue, item -> {
            try {
                return Integer.valueOf(item);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": " + item + " (expected: whole numbers)", e);
            }
        });
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

    /** Returns the JVM modes property {@code name} lists, both by default. */
    public static List<JvmMode> jvmModes(String name) {
        return labels(name, "default,fast", JvmMode.class);
    }

    /** Returns the allocators property {@code name} lists, ours and Netty's three by default. */
    public static List<ComparedAllocator> comparedAllocators(String name) {
        return labels(name, "apf,pooled,adaptive,unpooled", ComparedAllocator.class);
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

    /** Returns an empty listing, to which a config adds its settings in the order its report shows them. */
    public static Listing listing() {
        return new Listing();
    }

    /**
     * A config's settings as property names and values, in the form the properties take them: lists
     * comma-separated, each item by its label if it has one, JVM flags space-separated.
     */
    public static final class Listing {
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Listing() {
        }

        /** Adds property {@code name} with {@code value} as {@link String#valueOf} prints it. */
        public Listing value(String name, Object value) {
            properties.put(name, String.valueOf(value));
            return this;
        }

        /** Adds property {@code name} with {@code items} comma-separated, each by its label if it has one. */
        public Listing list(String name, List<?> items) {
            properties.put(name, items.stream().map(item -> item instanceof Labelled labelled ? labelled.label()
                : String.valueOf(item)).collect(Collectors.joining(",")));
            return this;
        }

        /** Adds property {@code name} with {@code words} (JVM flags) space-separated. */
        public Listing words(String name, List<String> words) {
            properties.put(name, String.join(" ", words));
            return this;
        }

        /** Returns the settings added, in order. */
        public Map<String, String> properties() {
            return Collections.unmodifiableMap(properties);
        }
    }
}
