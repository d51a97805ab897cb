package io.apfmalloc.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher the benchmark profiles run: settings from the file Maven writes, then the program's main. */
class LauncherTest {
    private static List<String> seenArguments;
    private static String seenSetting;

    /** The program the test launches: records what it was started with. */
    public static final class Program {
        private Program() {
        }

        /** Records its arguments and the setting {@code launcher.test.words}. */
        public static void main(String[] args) {
            seenArguments = List.of(args);
            seenSetting = System.getProperty("launcher.test.words");
        }
    }

    @Test
    void setsTheFilesPropertiesThenRunsTheMainClass(@TempDir Path directory) throws Throwable {
        Path file = directory.resolve("settings.properties");
        Files.writeString(file, "#Ant properties\nlauncher.test.words=-Xmx3g -XX\\:+UseParallelGC\n",
            StandardCharsets.ISO_8859_1);
        try {
            Launcher.main(new String[] {file.toString(), Program.class.getName(), "a", "b"});
        } finally {
            System.clearProperty("launcher.test.words");
        }
        assertEquals(List.of("a", "b"), seenArguments);
        assertEquals("-Xmx3g -XX:+UseParallelGC", seenSetting);
    }

    @Test
    void wantsTheFileAndTheMainClass() {
        assertThrows(IllegalArgumentException.class, () -> Launcher.main(new String[] {"settings.properties"}));
    }

    @Test
    void aMissingFileFails(@TempDir Path directory) {
        assertThrows(IOException.class, () -> Launcher.main(new String[] {directory.resolve("none").toString(),
            Program.class.getName()}));
    }
}
