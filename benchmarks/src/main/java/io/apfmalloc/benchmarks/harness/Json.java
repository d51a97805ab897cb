package io.apfmalloc.benchmarks.harness;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The little JSON and CSV formatting the benchmark reports need: flat objects, quoted strings, plain decimals. */
public final class Json {
    private Json() {
    }

    /** Formats a JSON object on one line: strings quoted, numbers (and null) as they are. */
    public static String object(Map<String, ?> values) {
        return values.entrySet().stream()
            .map(e -> string(e.getKey()) + ": " + (e.getValue() instanceof String s ? string(s) : e.getValue()))
            .collect(Collectors.joining(", ", "{", "}"));
    }

    /** Returns a decimal that prints in plain notation with at most 4 places, or null for NaN and infinities. */
    public static Decimal decimal(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : new Decimal(value);
    }

    /** A number for CSV and JSON: plain notation (never {@code 1.2E7}), at most 4 decimal places. */
    public record Decimal(double value) {
        @Override
        public String toString() {
            return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        }
    }

    /** Returns {@code value} as a JSON string literal. */
    public static String string(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
