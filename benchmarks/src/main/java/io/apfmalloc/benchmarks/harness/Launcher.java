package io.apfmalloc.benchmarks.harness;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

/**
 * Starts a benchmark program with the settings a Maven profile forwards. The benchmark profiles of
 * {@code benchmarks/pom.xml} write every property of the build whose name starts with the profile's prefix (a
 * {@code -D} on Maven's command line, or a default the profile gives) into a properties file, then run
 * {@code Launcher <settings file> <main class> [arguments]} on the JDK 25 toolchain: each setting becomes a system
 * property, read as the program reads any ({@link Settings}), and the main class runs with the arguments.
 */
public final class Launcher {
    private Launcher() {
    }

    /**
     * Sets the file's properties as system properties and runs the main class; what the program throws is thrown
     * on, unwrapped.
     *
     * @param args the settings file, the main class, then the program's arguments
     * @throws IllegalArgumentException if fewer than two arguments are given
     * @throws Throwable                whatever the program throws
     */
    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            throw new IllegalArgumentException("arguments: " + Arrays.toString(args)
                + " (expected: settings-file main-class [argument ...])");
        }
        load(Path.of(args[0])).forEach((name, value) -> System.setProperty((String) name, (String) value));
        MethodHandle main = MethodHandles.publicLookup().findStatic(Class.forName(args[1]), "main",
            MethodType.methodType(void.class, String[].class));
        main.invokeExact(Arrays.copyOfRange(args, 2, args.length));
    }

    /** Returns the properties of {@code file}, in the {@link Properties#load(InputStream)} format. */
    static Properties load(Path file) throws IOException {
        Properties settings = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            settings.load(in);
        }
        return settings;
    }
}
