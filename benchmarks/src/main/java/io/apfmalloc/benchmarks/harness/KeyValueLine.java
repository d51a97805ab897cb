package io.apfmalloc.benchmarks.harness;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
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

    /**
     * Formats a record of whole numbers ({@code long} components only) as a line tagged {@code tag}: each component
     * under its own name, in declaration order. {@link #parse(String, Class)} reads it back.
     */
    public static String format(String tag, Record figures) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent component : longComponents(figures.getClass())) {
            try {
                values.put(component.getName(), component.getAccessor().invoke(figures));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component, e);
            }
        }
        return format(tag, values);
    }

    /**
     * Returns the record of {@code type} (whose components are all {@code long}s) that a line made by
     * {@link #format(String, Record)} describes; throws IllegalArgumentException if a component is missing.
     */
    public static <R extends Record> R parse(String line, Class<R> type) {
        Map<String, String> values = parse(line);
        RecordComponent[] components = longComponents(type);
        Object[] arguments = Arrays.stream(components).map(component -> longValue(values, component.getName()))
            .toArray();
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(Arrays.stream(components)
                .map(RecordComponent::getType).toArray(Class<?>[]::new));
            canonical.setAccessible(true);
            return canonical.newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + type.getSimpleName() + " of " + line, e);
        }
    }

    /** Returns the components of {@code type}, accessible; throws IllegalArgumentException if one is not a long. */
    private static RecordComponent[] longComponents(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        for (RecordComponent component : components) {
            if (component.getType() != long.class) {
                throw new IllegalArgumentException(type.getSimpleName() + "." + component.getName() + ": "
                    + component.getType() + " (expected: long)");
            }
            component.getAccessor().setAccessible(true);
        }
        return components;
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
