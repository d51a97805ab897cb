package io.apfmalloc.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every setting goes through one parser and one check, from its system property or its builder method: a bad value
 * fails when the allocator is built, naming the property (or method), the value and the accepted form, and nothing
 * is accepted silently. The shared allocator behind {@link ApfMalloc} fails every call the same way.
 */
class SettingsTest {
    private static final String WHOLE_NUMBER = "a whole number from ";

    @ParameterizedTest(name = "-D{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "apfmalloc.sharedCaches     | 0       | a whole number from 1 to 1024",
        "apfmalloc.sharedCaches     | 5000    | a whole number from 1 to 1024",
        "apfmalloc.apf.burst        | 0       | a whole number from 2 to 65536",
        "apfmalloc.apf.burst        | 1       | a whole number from 2 to 65536",
        "apfmalloc.maxMemory        | 0       | a size of at least 1 bytes, such as 512m",
        "apfmalloc.maxMemory        | 12x     | a size of at least 1 bytes, such as 512m",
        "apfmalloc.maxMemory        | -1m     | a size of at least 1 bytes, such as 512m",
        "apfmalloc.maxMemory        | 9999999999g | a size of at least 1 bytes, such as 512m",
        "apfmalloc.apf.target       | 0       | a whole number from 1 to 2147483647",
        "apfmalloc.maxBinBytes      | 0       | a size of at least 1 bytes, such as 512m",
        "apfmalloc.retainBytes      | -1      | a size of at least 0 bytes, such as 512m",
        "apfmalloc.retainMillis     | 1s      | a whole number from 0 to 2147483647",
        "apfmalloc.apf.maxFetchBytes| ''      | a size of at least 1 bytes, such as 512m",
        "apfmalloc.maxThreadCaches  | 5g      | a whole number from 0 to 2147483647",
        "apfmalloc.maxThreadCaches  | -5      | a whole number from 0 to 2147483647",
        "apfmalloc.maxThreadCaches  | 3000000000 | a whole number from 0 to 2147483647",
        "apfmalloc.apf.hibernation  | 1.5     | a whole number from 0 to 2147483647",
        "apfmalloc.policy           | foo     | one of apf, lrmalloc",
        "apfmalloc.checked          | yes     | true or false",
    })
    void aBadPropertyFailsTheBuildNamingPropertyValueAndForm(String property, String text, String expected) {
        withProperty(property, text, () -> {
            ApfAllocator.Builder builder = assertDoesNotThrow(ApfAllocator::builder, "properties are read at build");
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, builder::build);
            assertEquals(property + ": " + text + " (expected: " + expected + ")", thrown.getMessage());
        });
    }

    @ParameterizedTest(name = "-D{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "apfmalloc.maxMemory       | ' 512m ' | 536870912",
        "apfmalloc.maxMemory       | 64K      | 65536",
        "apfmalloc.maxMemory       | 3G       | 3221225472",
        "apfmalloc.maxMemory       | 123456   | 123456",
    })
    void sizesTakeSuffixesInAnyCaseAndBlanks(String property, String text, long bytes) {
        withProperty(property, text, () -> assertEquals(bytes, ApfAllocator.builder().build().stats().memoryLimit()));
    }

    @Test
    void choicesAndFlagsTakeAnyCase() {
        withProperty("apfmalloc.policy", "LrMalloc", () -> assertEquals(TuningPolicy.LRMALLOC,
            ApfAllocator.builder().build().tuningPolicy()));
        withProperty("apfmalloc.checked", "TRUE", () -> assertTrue(ApfAllocator.builder().build().isChecked()));
    }

    @Test
    void builderMethodsShareTheChecksAndNameThemselves() {
        List<Function<ApfAllocator.Builder, ApfAllocator.Builder>> calls = List.of(
            builder -> builder.maxThreadCaches(-5),
            builder -> builder.sharedCaches(0),
            builder -> builder.sharedCaches(1025),
            builder -> builder.maxMemory(0),
            builder -> builder.maxBinBytes(0),
            builder -> builder.retainBytes(-1),
            builder -> builder.apfTarget(0),
            builder -> builder.apfBurstLength(1),
            builder -> builder.apfHibernationLength(-1),
            builder -> builder.apfMaxFetchBytes(0));
        List<String> messages = List.of(
            "maxThreadCaches: -5 (expected: " + WHOLE_NUMBER + "0 to 2147483647)",
            "sharedCaches: 0 (expected: " + WHOLE_NUMBER + "1 to 1024)",
            "sharedCaches: 1025 (expected: " + WHOLE_NUMBER + "1 to 1024)",
            "maxMemory: 0 (expected: a size of at least 1 bytes, such as 512m)",
            "maxBinBytes: 0 (expected: a size of at least 1 bytes, such as 512m)",
            "retainBytes: -1 (expected: a size of at least 0 bytes, such as 512m)",
            "apfTarget: 0 (expected: " + WHOLE_NUMBER + "1 to 2147483647)",
            "apfBurstLength: 1 (expected: " + WHOLE_NUMBER + "2 to 65536)",
            "apfHibernationLength: -1 (expected: " + WHOLE_NUMBER + "0 to 2147483647)",
            "apfMaxFetchBytes: 0 (expected: a size of at least 1 bytes, such as 512m)");
        for (int i = 0; i < calls.size(); i++) {
            Function<ApfAllocator.Builder, ApfAllocator.Builder> call = calls.get(i);
            assertEquals(messages.get(i), assertThrows(IllegalArgumentException.class,
                () -> call.apply(ApfAllocator.builder())).getMessage());
        }
        assertThrows(NullPointerException.class, () -> ApfAllocator.builder().tuningPolicy(null));
    }

    @Test
    void aValueSetOnTheBuilderWinsOverItsProperty() {
        withProperty("apfmalloc.sharedCaches", "0", () -> {
            ApfAllocator allocator = ApfAllocator.builder().sharedCaches(4).build();
            long address = allocator.malloc(100);
            assertTrue(address != 0);
            allocator.free(address);
        });
    }

    /**
     * In a JVM of its own, so the shared allocator is made there with the bad property: every call fails with the
     * same clear message, not with a class that failed to initialise.
     */
    @Test
    void theSharedAllocatorFailsEveryCallNamingTheProperty() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
            "-Dapfmalloc.sharedCaches=0", "-cp", System.getProperty("java.class.path"),
            SharedAllocatorCalls.class.getName()).redirectErrorStream(true).start();
        String output = readAll(child);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), output);
        String expected = "IllegalStateException: the shared allocator cannot be made: apfmalloc.sharedCaches: 0 "
            + "(expected: a whole number from 1 to 1024)";
        assertEquals(expected + "\n" + expected + "\n", output);
        assertEquals(0, child.exitValue(), output);
    }

    /** Calls the shared allocator twice and prints what each call threw. */
    static final class SharedAllocatorCalls {
        public static void main(String[] args) {
            for (int i = 0; i < 2; i++) {
                try {
                    ApfMalloc.doMalloc(1000);
                    System.out.println("allocated");
                } catch (RuntimeException e) {
                    System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }
    }

    private static String readAll(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void withProperty(String property, String value, Runnable body) {
        String old = System.getProperty(property);
        System.setProperty(property, value);
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, old);
            }
        }
    }
}
