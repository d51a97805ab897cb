package io.apfmalloc.benchmarks.pattern;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/** The load side of {@link TrafficCapture}'s traffic: blocking clients on virtual threads until a deadline. */
final class Clients {
    private Clients() {
    }

    /** One client's unit of work (a connection, a request); returns how many exchanges it made. */
    @FunctionalInterface
    interface Work {
        /** Does the work with the client's own random source. */
        long run(SplittableRandom random) throws Exception;
    }

    /**
     * Runs {@code clients} virtual threads, each doing {@code work} again and again until {@code seconds} have
     * passed; returns the exchanges made. Throws the first failure of any client, with the others suppressed.
     */
    static long run(int clients, double seconds, long seed, Work work) throws Exception {
        long deadline = System.nanoTime() + Math.round(seconds * 1e9);
        AtomicLong exchanges = new AtomicLong();
        List<Exception> failures = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            SplittableRandom random = seeds.split();
            threads.add(Thread.ofVirtual().name("traffic-client-" + i).start(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        exchanges.addAndGet(work.run(random));
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            Exception first = failures.getFirst();
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
        return exchanges.get();
    }

    /** Draws a size from {@code min} to {@code max} bytes whose logarithm is uniform. */
    static int logUniform(SplittableRandom random, int min, int max) {
        return (int) Math.round(Math.exp(random.nextDouble(Math.log(min), Math.log(max))));
    }

    /**
     * Sends {@code message} and reads as many bytes back; the write runs on a thread of its own so that a message
     * larger than the sockets' buffers cannot block both directions.
     */
    static void exchange(OutputStream out, DataInputStream in, byte[] message) throws IOException,
            InterruptedException {
        IOException[] writeFailure = new IOException[1];
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                out.write(message);
                out.flush();
            } catch (IOException e) {
                writeFailure[0] = e;
            }
        });
        in.readFully(new byte[message.length]);
        writer.join();
        if (writeFailure[0] != null) {
            throw writeFailure[0];
        }
    }
}
