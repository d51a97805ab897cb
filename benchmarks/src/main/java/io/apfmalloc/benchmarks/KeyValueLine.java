package io.apfmalloc.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The line protocol between the orchestrator and its child JVMs: a tag, then {@code key=value} pairs separated by
 * spaces ({@code RESULT messages=1200 p99=5100}). Values never contain spaces.
 */
public final class KeyValueLine {
    private KeyValueLine() {
    }

    /** Formats {@code tag} and the pairs of {@code values} in their iteration order. */
    public static String format(String tag, Map<String, ?> values) {
        StringBuilder line = new StringBuilder(tag);
        values.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        return line.toString();
    }

    /** Returns the pairs of {@code line} after its tag; throws IllegalArgumentException on a malformed pair. */
    public static Map<String, String> parse(String line) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] words = line.trim().split(" +");
        for (int i = 1; i < words.length; i++) {
            int equals = words[i].indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("pair: " + words[i] + " (expected: key=value) in: " + line);
            }
            values.put(words[i].substring(0, equals), words[i].substring(equals + 1));
        }
        return values;
    }

    /** Returns the tag of {@code line}: its first word. */
    public static String tag(String line) {
        String trimmed = line.trim();
        int space = trimmed.indexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(0, space);
    }

    /** Returns the long value of {@code key}; throws IllegalArgumentException if it is missing. */
    public static long longValue(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing: " + key + " in " + values);
        }
        return Long.parseLong(value);
    }
}
