package io.apfmalloc.benchmarks.pattern;

import static io.apfmalloc.benchmarks.pattern.SizeMix.range;
import static io.apfmalloc.benchmarks.pattern.SizeMix.size;

import io.apfmalloc.benchmarks.harness.Labelled;
import java.util.List;

/**
 * The buffer size mixes the allocation-pattern benchmark replays: two measured from Netty's own allocations
 * under a traffic of its kind: {@link TrafficCapture} ran the traffic on an {@code ApfByteBufAllocator} with a JFR
 * recording of its {@code io.netty.AllocateBuffer} events and printed these tables (sizes that make at least 1% of
 * the allocations on their own, the others in power-of-two ranges; weights in hundredths of a percent). Measured
 * on 2026-12-01 with {@code mvn -B -q -DskipTests -Ptraffic-capture package} (30 s per traffic, 16 clients, two
 * event loops, NIO, JDK 25, Netty 4.2.18) on a 2-core machine under load from other builds; the receive-buffer
 * guesses depend on how much data waits in a socket when it is read, so a quieter or faster machine shifts the
 * read sizes somewhat. What the traffic is made of is an assumption, stated on each mix; what Netty allocates for
 * it is measured. The third, {@link #WEBSOCKET}, is the size table of Netty's own allocation-pattern microbenchmark,
 * for comparison with it.
 */
public enum TrafficMix implements Labelled {
    /**
     * A socket proxy (SOCKS5, {@link ProxyTraffic}): every read of either side, sized by Netty's adaptive
     * receive-buffer guess (2 KiB at first; four steps up its table of 512 B, 1 KiB, 2 KiB … after a read that
     * fills the buffer, up to 64 KiB; one step down after two that do not) and forwarded as it is, plus the
     * handshake's two control writes per connection (2 B and 10 B). Traffic: connections of 1 to 40 echoed
     * exchanges, 70% interactive (64 B to 2 KiB), 30% bulk (16 KiB to 1 MiB). Measured: 372,800 allocations for
     * 81,093 exchanges. The bulk messages fill most reads, so two thirds of the buffers are 64 KiB.
     */
    PROXY(List.of(
        size(2, 106),
        size(10, 106),
        range(464, 496, 10),
        size(512, 51),
        size(1024, 281),
        size(2048, 483),
        size(4096, 135),
        size(8192, 301),
        size(16384, 652),
        size(32768, 1158),
        size(65536, 6717))),
    /**
     * An HTTPS API gateway ({@link GatewayTraffic}), by the allocation sites a recording with stack traces shows:
     * the JDK TLS engine's wrap buffers (16,709 B: its packet buffer size; 16,405 B and near it: a 16 KiB record
     * with its header and tag), the HTTP encoder's buffer for each whole message (278 B: the answers' headers; in
     * the 1 to 2 KiB band: headers and a small body copied in together), the TLS unwrap buffers and write queue's
     * coalesced buffers, the NIO channel's direct copies of the engine's heap buffers, and the reads. Traffic: 40%
     * GETs, 60% POSTs of JSON; request headers of 200 B to 2 KiB (the range the SPDY white paper,
     * dev.chromium.org/spdy/spdy-whitepaper, gives, with 700 to 800 B typical); JSON bodies and answers of 1 KiB to
     * 32 KiB with a long tail (1 KiB × 2^x, x exponential of mean 1.2: median 1.8 KiB, 10% above 7 KiB). Measured:
     * 131,013 allocations for 14,108 requests.
     */
    GATEWAY(List.of(
        size(6, 2),
        range(33, 63, 33),
        range(71, 127, 3),
        range(137, 244, 21),
        range(256, 277, 35),
        size(278, 1043),
        range(279, 511, 43),
        range(512, 1023, 376),
        range(1024, 2047, 3178),
        size(2048, 294),
        range(2049, 4095, 824),
        size(4096, 520),
        range(4097, 8190, 338),
        size(8192, 511),
        range(8194, 16380, 162),
        size(16384, 563),
        range(16396, 16405, 93),
        size(16709, 1142),
        size(32768, 494),
        size(65536, 325))),
    /**
     * The web-socket proxy pattern of Netty's own {@code ByteBufAllocatorAllocPatternBenchmark} (the table its
     * {@code AllocationPatternSimulator} recorded from a service: 87,505 allocations of 9 B to 18 KiB), summarised
     * here in bands: the sizes that make at least 1% on their own (15 B, 256 B, 636 B, 1 KiB, 2 KiB, 16,639 B: 89% of
     * the allocations), the rest in ranges between them. Mean 2.5 KiB, against 47 KiB for {@link #PROXY}: mostly
     * small buffers, and none of 32 or 64 KiB.
     */
    WEBSOCKET(List.of(
        range(9, 14, 36),
        size(15, 1182),
        range(16, 31, 108),
        range(32, 64, 80),
        range(65, 255, 2),
        size(256, 2431),
        range(257, 635, 478),
        size(636, 622),
        range(637, 1023, 71),
        size(1024, 3348),
        range(1025, 2047, 6),
        size(2048, 301),
        range(2049, 4095, 27),
        range(4096, 8191, 84),
        range(8192, 16383, 113),
        range(16384, 16638, 5),
        size(16639, 1059),
        range(16640, 18432, 47)));

    private final SizeMix sizes;

    TrafficMix(List<SizeMix.Band> bands) {
        this.sizes = new SizeMix(label(), bands);
    }

    /** Returns the weighted size table. */
    public SizeMix sizes() {
        return sizes;
    }

    /** Returns the mix named {@code label} (any case). */
    public static TrafficMix of(String label) {
        return Labelled.parse(TrafficMix.class, "mix", label);
    }
}
