package io.apfmalloc.benchmarks.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The traffic the size mixes are measured from, for half a second each: the proxy's and the gateway's allocations. */
class PatternTrafficCaptureTest {
    @Test
    void proxyAllocatesReadsAndTheHandshakesControlWrites() throws Exception {
        TrafficCapture.Capture capture = TrafficCapture.capture(TrafficCapture.Traffic.PROXY, 4, 0.5);
        assertTrue(capture.exchanges() > 0 && capture.allocations() > capture.exchanges(), "" + capture);
        assertTrue(capture.sizes().containsKey(2) && capture.sizes().containsKey(10),
            "the SOCKS5 method choice and CONNECT reply: " + capture.sizes());
        assertTrue(capture.sizes().lastKey() <= 64 << 10, "reads at most Netty's 64 KiB guess: " + capture.sizes());
        assertSummable(capture);
    }

    @Test
    void gatewayAllocatesTlsRecordBuffers() throws Exception {
        TrafficCapture.Capture capture = TrafficCapture.capture(TrafficCapture.Traffic.GATEWAY, 4, 0.5);
        assertTrue(capture.exchanges() > 0, "requests answered: " + capture);
        assertTrue(capture.sizes().keySet().stream().anyMatch(size -> size > 16 << 10 && size < 17 << 10),
            "a TLS record's buffer: " + capture.sizes());
        assertSummable(capture);
        assertTrue(TrafficCapture.report(capture).contains("bands:"));
    }

    private static void assertSummable(TrafficCapture.Capture capture) {
        assertEquals(SizeMix.TOTAL_WEIGHT, TrafficCapture.bands(capture.sizes()).stream()
            .mapToInt(SizeMix.Band::weight).sum());
    }
}
