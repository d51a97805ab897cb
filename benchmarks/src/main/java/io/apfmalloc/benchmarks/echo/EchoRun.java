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
 */
public record EchoRun(JvmMode mode, EchoTransport transport, int messageSize, ComparedAllocator allocator, int repeat,
                      LoadResult load, ServerStats server) {
}
