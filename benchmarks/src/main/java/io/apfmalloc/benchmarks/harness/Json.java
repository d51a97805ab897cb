package io.apfmalloc.benchmarks.harness;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * Writes a benchmark's report as one JSON object: its settings, the environment, the wall time, the notes, then
     * the runs and the summary, one object per line.
     */
    public static void writeReport(Path file, Map<String, String> settings, Map<String, String> environment,
                                   double wallSeconds, List<String> notes, List<? extends Map<String, ?>> runs,
                                   List<? extends Map<String, ?>> summary) throws IOException {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"settings\": ").append(object(settings)).append(",\n");
        json.append("  \"environment\": ").append(object(environment)).append(",\n");
        json.append("  \"wallSeconds\": ").append(decimal(wallSeconds)).append(",\n");
        json.append("  \"notes\": [").append(notes.stream().map(Json::string).collect(Collectors.joining(", ")))
            .append("],\n");
        json.append("  \"runs\": ").append(lines(runs)).append(",\n");
        json.append("  \"summary\": ").append(lines(summary)).append("\n}\n");
        Files.writeString(file, json, StandardCharsets.UTF_8);
    }

    /** Formats {@code objects} as an array with one object per line. */
    private static String lines(List<? extends Map<String, ?>> objects) {
        return objects.stream().map(values -> "    " + object(values))
            .collect(Collectors.joining(",\n", "[\n", "\n  ]"));
    }

    /** Returns {@code values} by name, the i-th value under the i-th of {@code columns}: a CSV row and JSON object. */
    public static Map<String, Object> byColumn(List<String> columns, List<?> values) {
        if (values.size() != columns.size()) {
            throw new IllegalArgumentException("values: " + values.size() + " (expected: " + columns.size() + ")");
        }
        Map<String, Object> byColumn = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            byColumn.put(columns.get(i), values.get(i));
        }
        return byColumn;
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
