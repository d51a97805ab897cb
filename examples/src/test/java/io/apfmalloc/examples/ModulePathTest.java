package io.apfmalloc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apfmalloc.core.ApfMalloc;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RawMalloc} as a module of its own on the module path, beside the core's module {@code io.apfmalloc.core}:
 * the module boundary and the module-path flag the README gives, {@code --enable-native-access=io.apfmalloc.core}
 * (and the example's own module, which calls {@code strlen} and {@code qsort}).
 */
class ModulePathTest {
    private static final String MODULE = "io.apfmalloc.examples";
    private static final String RESTRICTED_WARNING = "WARNING: A restricted method in java.lang.foreign.Linker";

    @Test
    void rawMallocRunsOnTheModulePathWithoutRestrictedMethodWarnings(@TempDir Path directory) throws Exception {
        String modules = compileRawMallocModule(directory);

        Run run = runRawMalloc(modules, "--enable-native-access=io.apfmalloc.core," + MODULE);
        assertEquals(0, run.exitCode(), run::toString);
        RawMallocTest.assertPrinted(run.out(), "^doMalloc\\(100\\)\\s+-> 0x\\p{XDigit}+, usable 112 bytes$");
        RawMallocTest.assertPrinted(run.out(), "^strlen\\(\"hello, apfmalloc\"\\)\\s+-> 16$");
        RawMallocTest.assertPrinted(run.out(), "^held from the OS after trim\\(\\): 0 bytes in 0 superblocks$");
        assertFalse(run.err().contains(RESTRICTED_WARNING), run::toString);
    }

    /** Without the core in the flag, the JVM warns about the core's mmap downcalls: the flag is what keeps it quiet. */
    @Test
    void theCoreNeedsNativeAccessOfItsOwn(@TempDir Path directory) throws Exception {
        String modules = compileRawMallocModule(directory);
        Run run = runRawMalloc(modules, "--enable-native-access=" + MODULE);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().contains(RESTRICTED_WARNING), run::toString);
        assertTrue(run.err().contains("in module io.apfmalloc.core"), run::toString);
    }

    /**
     * Compiles RawMalloc's source with a module-info requiring only the core; returns the module path: the core
     * (its jar, or its classes with their module-info.class) and the example's module.
     */
    private static String compileRawMallocModule(Path directory) throws IOException, URISyntaxException {
        Path core = Path.of(ApfMalloc.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path sources = Files.createDirectories(directory.resolve("src"));
        Path moduleInfo = Files.writeString(sources.resolve("module-info.java"),
            "module " + MODULE + " {\n    requires io.apfmalloc.core;\n}\n");
        Path rawMalloc = Path.of("src/main/java/io/apfmalloc/examples/RawMalloc.java");
        Path classes = directory.resolve(MODULE);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int result = javac.run(null, null, null, "--module-path", core.toString(), "-d", classes.toString(),
            moduleInfo.toString(), rawMalloc.toString());
        assertEquals(0, result, "javac compiles RawMalloc as a module");
        return core + File.pathSeparator + classes;
    }

    private static Run runRawMalloc(String modulePath, String nativeAccess) throws Exception {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "--module-path",
            modulePath, nativeAccess, "-m", MODULE + "/" + RawMalloc.class.getName(), "10000"));
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String out = read(process.getInputStream());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "RawMalloc ends");
        return new Run(process.exitValue(), out, err.get(10, TimeUnit.SECONDS));
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A child JVM's exit code and output. */
    private record Run(int exitCode, String out, String err) {
    }
}
