package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The adapter's own setting and the core settings it passes on fail the build of an allocator with the property, the
 * value and the accepted form, as the core's do; the builder method shares the check.
 */
class AdapterSettingsTest {
    /** The shared instance is made before any property here is set: other tests in this JVM use it. */
    @BeforeAll
    static void makeTheSharedInstanceFirst() {
        assertNotNull(ApfByteBufAllocator.DEFAULT.metric());
    }

    @ParameterizedTest(name = "-D{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "apfmalloc.idleTrimMillis | xyz  | a whole number from 0 to 9223372036854775807",
        "apfmalloc.idleTrimMillis | -1   | a whole number from 0 to 9223372036854775807",
        "apfmalloc.idleTrimMillis | 10s  | a whole number from 0 to 9223372036854775807",
        "apfmalloc.sharedCaches   | 0    | a whole number from 1 to 1024",
        "apfmalloc.policy         | fifo | one of apf, lrmalloc",
    })
    void aBadPropertyFailsTheBuild(String property, String text, String expected) {
        String old = System.setProperty(property, text);
        try {
            ApfByteBufAllocator.Builder builder = ApfByteBufAllocator.builder();
            assertEquals(property + ": " + text + " (expected: " + expected + ")",
                assertThrows(IllegalArgumentException.class, builder::build).getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, old);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"-1", "-10000"})
    void theBuilderMethodSharesTheCheck(long millis) {
        assertEquals("idleTrimMillis: " + millis + " (expected: a whole number from 0 to 9223372036854775807)",
            assertThrows(IllegalArgumentException.class,
                () -> ApfByteBufAllocator.builder().idleTrimMillis(millis)).getMessage());
    }

    /**
     * In a JVM of its own, where the shared instance is made with a bad property: each of its calls throws the same
     * clear error, and the class's builder still works.
     */
    @Test
    void aDefaultWithABadPropertyFailsEachCallAndTheBuilderStillWorks() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dapfmalloc.sharedCaches=0",
            "-cp", System.getProperty("java.class.path"), DefaultCalls.class.getName()).redirectErrorStream(true)
            .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(Tasks.TIMEOUT_SECONDS, TimeUnit.SECONDS), output);
        String failure = "IllegalStateException: ApfByteBufAllocator.DEFAULT cannot be made: apfmalloc.sharedCaches: 0 "
            + "(expected: a whole number from 1 to 1024)";
        assertTrue(output.endsWith(failure + "\n" + failure + "\nbuilt: 64\n"), output);
    }

    /** Uses the shared instance twice, then a built allocator, printing what each did. */
    static final class DefaultCalls {
        public static void main(String[] args) {
            for (int i = 0; i < 2; i++) {
                try {
                    ApfByteBufAllocator.DEFAULT.directBuffer(64).release();
                    System.out.println("allocated");
                } catch (IllegalStateException e) {
                    System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
            var buffer = ApfByteBufAllocator.builder().sharedCaches(2).build().directBuffer(64);
            System.out.println("built: " + buffer.capacity());
            buffer.release();
        }
    }
}
