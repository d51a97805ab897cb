package io.apfmalloc.benchmarks.harness;

import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A constant that command lines, control lines between JVMs and reports name by a short label: its name in lower
 * case with hyphens for underscores ({@code H2_JDK} is {@code h2-jdk}). Implemented by the benchmarks' enums, whose
 * {@code of} methods read a label through {@link #parse}.
 */
public interface Labelled {
    /** Returns the constant's name, as an enum's {@code name()} does. */
    String name();

    /** Returns the name used on command lines, in control lines and in reports, e.g. {@code apf-cache}. */
    default String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Returns the constant of {@code type} labelled {@code text}, in any case, blanks around it ignored.
     *
     * @param what what the text names, for the message: the property it comes from (e.g. {@code echo.modes}) or a
     *             noun (e.g. {@code allocator})
     * @throws IllegalArgumentException naming {@code what}, the text and the accepted labels, if none matches
     */
    static <E extends Enum<E> & Labelled> E parse(Class<E> type, String what, String text) {
        String wanted = text.trim();
        return Stream.of(type.getEnumConstants()).filter(constant -> constant.label().equalsIgnoreCase(wanted))
            .findFirst().orElseThrow(() -> new IllegalArgumentException(what + ": " + text + " (expected one of: "
                + Stream.of(type.getEnumConstants()).map(Labelled::label).collect(Collectors.joining(", ")) + ")"));
    }
}
