package io.apfmalloc.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the system properties that configure a benchmark program. An unset or blank property means the default, so
 * that a Maven profile can pass every property as {@code -Dname=${name}} with an empty value for those not given.
 */
public final class BenchmarkProperties {
    private BenchmarkProperties() {
    }

    /** Returns the trimmed value of {@code name}, or {@code defaultValue} if it is unset or blank. */
    public static String property(String name, String defaultValue) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    /** Returns the comma-separated values of {@code name} (or {@code defaultValue}), each parsed by {@code parse}. */
    public static <T> List<T> list(String name, String defaultValue, Function<String, T> parse) {
        return Arrays.stream(property(name, defaultValue).split(",")).map(String::trim).filter(s -> !s.isEmpty())
            .map(parse).toList();
    }
}
