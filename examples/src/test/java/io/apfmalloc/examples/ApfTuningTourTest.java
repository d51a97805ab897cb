package io.apfmalloc.examples;

import static io.apfmalloc.examples.RawMallocTest.assertPrinted;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs {@link ApfTuningTour#main} and checks that what it prints shows what APF tuning is for. */
class ApfTuningTourTest {
    @Test
    void theTourShowsTheTunersDecisions() throws Exception {
        String output;
        try (CapturedOutput out = new CapturedOutput()) {
            ApfTuningTour.main(new String[0]);
            output = out.text();
        }
        assertPrinted(output, "^APF target T = 1000 allocations per fetch");

        // Allocate-only: no reuse, so fetches bring about T blocks and APF comes close to T.
        Matcher allocateOnly = find(output, "1\\. allocate-only.*\\n.*fetches (\\d+) of (\\d+) blocks on average,"
            + " APF ([\\d.]+);");
        assertTrue(Double.parseDouble(allocateOnly.group(3)) >= 900, allocateOnly.group());

        // Ping-pong: one fetch, whose surplus went back; the bin holds a few blocks.
        Matcher pingPong = find(output, "2\\. ping-pong.*\\n.*fetches 1 of (\\d+) blocks on average, APF [\\d.]+;"
            + " returned ([\\d,]+) blocks \\([\\d,]+ B\\), holds (\\d+),");
        int holds = Integer.parseInt(pingPong.group(3));
        assertTrue(holds <= 4, pingPong.group());
        assertTrue(number(pingPong.group(2)) == Integer.parseInt(pingPong.group(1)) - holds, pingPong.group());

        // Producer/consumer: the consumer never allocates, yet its bin stays within the return rule's bound.
        Matcher consumer = find(output,
            "consumer:.*allocations 0, fetches 0; returned ([\\d,]+) blocks \\([\\d,]+ B\\), holds (\\d+),");
        assertTrue(Integer.parseInt(consumer.group(2)) <= 2 * ApfTuningTour.TARGET + 1, consumer.group());
        assertTrue(number(consumer.group(1)) >= 100_000 - 2 * ApfTuningTour.TARGET - 1, consumer.group());

        // Bursts: APF caches and holds less than lrmalloc's rule.
        Matcher bursts = find(output, "APF caches ([\\d.]+)x and holds ([\\d.]+)x what lrmalloc's rule does");
        assertTrue(Double.parseDouble(bursts.group(1)) < 1, bursts.group());
        assertTrue(Double.parseDouble(bursts.group(2)) < 1, bursts.group());
    }

    private static Matcher find(String output, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(output);
        assertTrue(matcher.find(), () -> "expected output matching " + regex + " in:\n" + output);
        return matcher;
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }
}
