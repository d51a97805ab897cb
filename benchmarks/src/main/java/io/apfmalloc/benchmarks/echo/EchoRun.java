package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;

/**
 * One measured run: a server allocator under one JVM mode, transport and message size, and what the client and
 * the server measured.
 *
 * @param mode the server's JVM mode
 * @param transport the transport of server and client
 * @param messageSize bytes per message
 * @param allocator the server's allocator
 * @param repeat which of the interleaved repeats, from 1
 * @param load the client's figures
 * @param server the server's figures
 * @param serverCpuNanos the CPU time the server process used (user and system, all threads) during the measured
 *                       window, or -1 where it cannot be read
 */
public record EchoRun(JvmMode mode, EchoTransport transport, int messageSize, ComparedAllocator allocator, int repeat,
                      LoadResult load, ServerStats server, long serverCpuNanos) {
    /** Returns the server's CPU time per echoed message in microseconds, or NaN if unknown. */
    public double serverCpuMicrosPerMessage() {
        return serverCpuNanos < 0 || load.messages() == 0 ? Double.NaN : serverCpuNanos / 1e3 / load.messages();
    }
}
