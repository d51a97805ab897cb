package io.apfmalloc.benchmarks.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The CSV files of the benchmark reports: a header of column names, then one line per row, cells as
 * {@link String#valueOf} prints them and a null (an unknown figure) as an empty cell. No cell holds a comma or a
 * quote (labels and numbers only), so none is quoted.
 */
public final class Csv {
    private Csv() {
    }

    /** Writes {@code columns} as the header and each of {@code rows} as a line, in UTF-8. */
    public static void write(Path file, List<String> columns, Collection<? extends Collection<?>> rows)
            throws IOException {
        List<String> lines = new ArrayList<>(rows.size() + 1);
        lines.add(String.join(",", columns));
        for (Collection<?> row : rows) {
            lines.add(row.stream().map(value -> value == null ? "" : String.valueOf(value))
                .collect(Collectors.joining(",")));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
