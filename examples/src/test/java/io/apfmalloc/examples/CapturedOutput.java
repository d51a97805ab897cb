package io.apfmalloc.examples;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code System.out} until closed, keeping what is printed (from any thread) and still echoing it to the
 * real stream, so a failing test's report shows the example's output.
 */
final class CapturedOutput implements AutoCloseable {
    private final PrintStream original = System.out;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    CapturedOutput() {
        System.setOut(new PrintStream(new Tee(), true, StandardCharsets.UTF_8));
    }

    /** Returns everything printed so far. */
    String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until the output matches {@code regex} and returns the match, for output printed by other threads. */
    Matcher await(String regex, Duration timeout) throws InterruptedException, TimeoutException {
        Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher matcher = pattern.matcher(text());
            if (matcher.find()) {
                return matcher;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("no output matching " + regex + " within " + timeout + "; got:\n"
                    + text());
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        System.out.flush();
        System.setOut(original);
    }

    /** Writes to the capture and to the original stream. */
    private final class Tee extends OutputStream {
        @Override
        public void write(int b) {
            synchronized (bytes) {
                bytes.write(b);
            }
            original.write(b);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
            synchronized (bytes) {
                bytes.write(buffer, offset, length);
            }
            original.write(buffer, offset, length);
        }
    }
}
