package io.apfmalloc.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One setting of an allocator: the builder method that sets it, the system property that gives its default, and the
 * one parser and check both go through, so that a bad value fails the same way wherever it comes from, naming the
 * setting, the value and the form it accepts ({@code "apfmalloc.sharedCaches: 0 (expected: a whole number from 1 to
 * 1024)"}). Nothing is accepted silently: text that does not parse, a value out of range and an unknown name all
 * throw {@link IllegalArgumentException}.
 *
 * <p>Accepted forms: sizes are a whole number of bytes with an optional {@code k}, {@code m} or {@code g} suffix
 * (powers of 1024, any case: {@code 512m}); numbers are whole numbers without a suffix; flags are {@code true} or
 * {@code false} (any case); choices are one of an enum's names (any case). Surrounding blanks are ignored.
 *
 * @param <T> the type of the setting's values
 */
public final class Setting<T> {
    private final String name;
    private final String property;
    private final String expected;
    /** Returns the value {@code text} stands for, or null when it is not of the accepted form. */
    private final Function<String, T> parser;
    private final Predicate<T> inRange;

    private Setting(String name, String property, String expected, Function<String, T> parser,
                    Predicate<T> inRange) {
        this.name = name;
        this.property = property;
        this.expected = expected;
        this.parser = parser;
        this.inRange = inRange;
    }

    /**
     * A size in bytes from {@code min} to {@code Long.MAX_VALUE}, written with an optional {@code k}, {@code m} or
     * {@code g} suffix.
     */
    public static Setting<Long> size(String name, String property, long min) {
        String expected = "a size of at least " + min + " bytes, such as 512m";
        return new Setting<>(name, property, expected, Setting::parseSize, value -> value >= min);
    }

    /** A whole number from {@code min} to {@code max}, without a suffix. */
    public static Setting<Long> number(String name, String property, long min, long max) {
        String expected = "a whole number from " + min + " to " + max;
        return new Setting<>(name, property, expected, Setting::parseNumber, value -> value >= min && value <= max);
    }

    /** {@code true} or {@code false}. */
    public static Setting<Boolean> flag(String name, String property) {
        return new Setting<>(name, property, "true or false", text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        }, value -> true);
    }

    /** One of {@code type}'s constants, by its name in any case. */
    public static <E extends Enum<E>> Setting<E> choice(String name, String property, Class<E> type) {
        E[] constants = type.getEnumConstants();
        String names = Arrays.stream(constants).map(constant -> constant.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));
        return new Setting<>(name, property, "one of " + names, text -> Arrays.stream(constants)
            .filter(constant -> constant.name().equalsIgnoreCase(text)).findFirst().orElse(null), value -> true);
    }

    /** Returns the builder method's name, as errors of {@link #check} say it. */
    public String name() {
        return name;
    }

    /** Returns the system property that gives the default. */
    public String property() {
        return property;
    }

    /** Returns the accepted form, as error messages say it. */
    public String expected() {
        return expected;
    }

    /**
     * Returns {@code value} if it is in range: the check of the builder method.
     *
     * @throws IllegalArgumentException naming the setting, the value and the accepted form, if it is not
     * @throws NullPointerException     if {@code value} is null
     */
    public T check(T value) {
        Objects.requireNonNull(value, name);
        if (!inRange.test(value)) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
        }
        return value;
    }

    /**
     * Returns the value of the system property, parsed and checked, or {@code defaultValue} when it is not set.
     *
     * @throws IllegalArgumentException naming the property, its text and the accepted form, if the text does not
     *                                  parse or its value is out of range
     */
    public T read(T defaultValue) {
        String text = System.getProperty(property);
        return text == null ? defaultValue : parse(text);
    }

    /**
     * Returns {@code explicitValue} when a builder method set it (non-null), else the system property's value, else
     * {@code defaultValue}.
     *
     * @throws IllegalArgumentException if the value comes from the property and it is not valid
     */
    public T resolve(T explicitValue, T defaultValue) {
        return explicitValue != null ? explicitValue : read(defaultValue);
    }

    /**
     * Returns the value {@code text} stands for, checked, as if the system property said it.
     *
     * @throws IllegalArgumentException naming the property, the text and the accepted form, if it is not valid
     */
    public T parse(String text) {
        T value = parser.apply(text.trim());
        if (value == null || !inRange.test(value)) {
            throw new IllegalArgumentException(property + ": " + text + " (expected: " + expected + ")");
        }
        return value;
    }

    /** Returns the size {@code text} stands for, or null when it is not a size. */
    private static Long parseSize(String text) {
        String value = text.toLowerCase(Locale.ROOT);
        int shift = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        Long number = parseNumber(shift == 0 ? value : value.substring(0, value.length() - 1));
        return number == null || number > (Long.MAX_VALUE >> shift) ? null : number << shift;
    }

    /** Returns the non-negative whole number {@code text} stands for, or null. */
    private static Long parseNumber(String text) {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    @Override
    public String toString() {
        return property;
    }
}
