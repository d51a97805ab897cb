package io.apfmalloc.benchmarks.harness;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a benchmark program prints once it is done, after a blank line and in the order called: its tables, its
 * remarks, the machine it ran on, and what it took and wrote.
 */
public final class Conclusion {
    private final PrintStream out;

    private Conclusion(PrintStream out) {
        this.out = out;
    }

    /** Starts the conclusion on {@code out}, after a blank line that sets it off from the progress lines. */
    public static Conclusion on(PrintStream out) {
        out.println();
        return new Conclusion(out);
    }

    /** Prints {@code heading}, a blank line, then {@code table} and a blank line. */
    public Conclusion table(String heading, String table) {
        out.println(heading);
        out.println();
        return table(table);
    }

    /** Prints {@code table} (Markdown, its lines ended) and a blank line. */
    public Conclusion table(String table) {
        out.print(table);
        out.println();
        return this;
    }

    /** Prints {@code line}. */
    public Conclusion line(String line) {
        out.println(line);
        return this;
    }

    /** Prints each note on a line of its own. */
    public Conclusion notes(List<String> notes) {
        notes.forEach(note -> out.println("note: " + note));
        return this;
    }

    /** Prints the CPU and the load average at the start ({@code environment}, {@link Machine#describe}) and now. */
    public Conclusion machine(Map<String, String> environment) {
        out.printf(Locale.ROOT, "machine: %s; load average at the start %s, at the end %s%n", environment.get("cpu"),
            environment.get("loadavg.start"), Machine.loadAverage());
        return this;
    }

    /** Prints how long the program took and the files it wrote. */
    public void took(double seconds, List<Path> files) {
        out.printf(Locale.ROOT, "took %s; wrote %s%n", Progress.duration(seconds),
            files.stream().map(Path::toString).toList());
    }
}
