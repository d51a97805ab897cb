package io.apfmalloc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs {@link RawMalloc#main} as the README's first command does (with fewer timed pairs) and reads its output. */
class RawMallocTest {
    @Test
    void theTourRunsAndPrintsEveryStep() throws Throwable {
        String output;
        try (CapturedOutput out = new CapturedOutput()) {
            RawMalloc.main(new String[] {"100000"});
            output = out.text();
        }
        assertPrinted(output, "^doMalloc\\(100\\)\\s+-> 0x\\p{XDigit}+, usable 112 bytes$");
        assertPrinted(output, "^doRealloc\\(p, 5000\\)\\s+-> 0x\\p{XDigit}+, first byte still 7$");
        assertPrinted(output, "^doAlignedAlloc\\(4096\\)\\s+-> 0x\\p{XDigit}+ \\(address % 4096 = 0\\)$");
        assertPrinted(output, "^allocateType\\(POINT\\)\\s+-> 0x\\p{XDigit}+, 8 bytes; allocateValue copy: x=3 y=4$");
        assertPrinted(output, "^AutoPtr<POINT>\\s+-> x=42, freed at the end of the try block$");
        assertPrinted(output, "^AutoPtr after close\\s+-> IllegalStateException");
        assertPrinted(output, "^strlen\\(\"hello, apfmalloc\"\\)\\s+-> 16$");
        assertPrinted(output, "^qsort\\(\\[42, 7, 19, -3, 100, 0, 7\\]\\) -> \\[-3, 0, 7, 7, 19, 42, 100\\]$");
        assertPrinted(output, "^100.000 malloc/free pairs of 64 B: [\\d.,]+ ns per pair$");
        // Every allocation was freed, so flushing the thread cache and trimming gives every superblock back.
        assertPrinted(output, "^held from the OS after trim\\(\\): 0 bytes in 0 superblocks$");
    }

    static void assertPrinted(String output, String regex) {
        assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(output).find(),
            () -> "expected a line matching " + regex + " in:\n" + output);
    }
}
