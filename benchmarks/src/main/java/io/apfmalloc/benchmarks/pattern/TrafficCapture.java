package io.apfmalloc.benchmarks.pattern;

import io.apfmalloc.netty.ApfByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Measures the buffer sizes Netty asks an allocator for under two kinds of traffic, the sources of
 * {@link TrafficMix}: a SOCKS5 proxy ({@link ProxyTraffic}) and an HTTPS API gateway ({@link GatewayTraffic}), each
 * on an {@link ApfByteBufAllocator} of its own, with a JFR recording of the {@code io.netty.AllocateBuffer} events
 * the allocator emits (docs/NETTY.md, "JFR events"). It prints, per traffic, the histogram of requested sizes
 * ({@code size}: the capacity asked for; a buffer moved by {@code capacity(n)} counts again with its new size) and
 * the band table {@link TrafficMix} encodes: every size drawn at least {@value #EXACT_SIZE_PER_MILLE}‰ of the time
 * on its own, the others in power-of-two ranges.
 *
 * <p>Run: {@code mvn -B -q -DskipTests -Ptraffic-capture package}, or {@code java --enable-native-access=ALL-UNNAMED
 * -cp benchmarks/target/benchmarks.jar io.apfmalloc.benchmarks.pattern.TrafficCapture [proxy|gateway]...}; system
 * properties {@code capture.seconds} (default 10 per traffic) and {@code capture.clients} (default 16).
 */
public final class TrafficCapture {
    /** Sizes drawn at least this often, in thousandths, get a band of their own. */
    static final int EXACT_SIZE_PER_MILLE = 10;
    private static final String EVENT = "io.netty.AllocateBuffer";
    private static final long SEED = 20261201;

    private TrafficCapture() {
    }

    /** The traffic kinds, by the name of the mix they are the source of. */
    enum Traffic {
        /** {@link ProxyTraffic}. */
        PROXY,
        /** {@link GatewayTraffic}. */
        GATEWAY;

        long run(EventLoopGroup group, ApfByteBufAllocator allocator, int clients, double seconds) throws Exception {
            return this == PROXY ? ProxyTraffic.run(group, allocator, clients, seconds, SEED)
                : GatewayTraffic.run(group, allocator, clients, seconds, SEED);
        }
    }

    /**
     * What a capture saw.
     *
     * @param exchanges the exchanges (proxy) or requests (gateway) the clients completed
     * @param sizes     allocations by requested size
     */
    record Capture(long exchanges, SortedMap<Integer, Long> sizes) {
        long allocations() {
            return sizes.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Runs {@code traffic} for {@code seconds} with {@code clients} clients on two event loops and returns the
     * sizes its allocator was asked for.
     */
    static Capture capture(Traffic traffic, int clients, double seconds) throws Exception {
        ApfByteBufAllocator allocator = new ApfByteBufAllocator(true);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("capture-loop"),
            NioIoHandler.newFactory());
        Path file = Files.createTempFile("traffic-capture", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable(EVENT);
            recording.start();
            long exchanges = traffic.run(group, allocator, clients, seconds);
            recording.stop();
            recording.dump(file);
            return new Capture(exchanges, sizes(file));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            Files.deleteIfExists(file);
        }
    }

    private static SortedMap<Integer, Long> sizes(Path recording) throws IOException {
        SortedMap<Integer, Long> sizes = new TreeMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getEventType().getName().equals(EVENT)
                && event.getClass("allocatorType").getName().equals(ApfByteBufAllocator.class.getName())) {
                sizes.merge(event.getInt("size"), 1L, Long::sum);
            }
        }
        return sizes;
    }

    /**
     * Returns the bands of {@code sizes} in the form {@link SizeMix} takes: sizes drawn at least
     * {@value #EXACT_SIZE_PER_MILLE}‰ of the time alone, the rest in ranges [2^k, 2^(k+1)) cut around those, with
     * weights out of {@link SizeMix#TOTAL_WEIGHT} (largest remainders, so they sum exactly).
     */
    static List<SizeMix.Band> bands(SortedMap<Integer, Long> sizes) {
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        List<int[]> ranges = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        int rangeStart = -1;
        int rangeEnd = -1;
        long rangeCount = 0;
        for (Map.Entry<Integer, Long> entry : sizes.entrySet()) {
            int size = entry.getKey();
            boolean exact = entry.getValue() * 1000 >= EXACT_SIZE_PER_MILLE * total;
            if (rangeCount > 0 && (exact || Integer.highestOneBit(size) != Integer.highestOneBit(rangeStart))) {
                ranges.add(new int[] {rangeStart, rangeEnd});
                counts.add(rangeCount);
                rangeCount = 0;
            }
            if (exact) {
                ranges.add(new int[] {size, size});
                counts.add(entry.getValue());
            } else {
                if (rangeCount == 0) {
                    rangeStart = size;
                }
                rangeEnd = size;
                rangeCount += entry.getValue();
            }
        }
        if (rangeCount > 0) {
            ranges.add(new int[] {rangeStart, rangeEnd});
            counts.add(rangeCount);
        }
        int[] weights = largestRemainder(counts, total);
        List<SizeMix.Band> bands = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            if (weights[i] > 0) {
                bands.add(new SizeMix.Band(ranges.get(i)[0], ranges.get(i)[1], weights[i]));
            }
        }
        return bands;
    }

    /** Apportions {@link SizeMix#TOTAL_WEIGHT} to {@code counts} by Hamilton's method. */
    private static int[] largestRemainder(List<Long> counts, long total) {
        int[] weights = new int[counts.size()];
        double[] remainders = new double[counts.size()];
        int given = 0;
        for (int i = 0; i < weights.length; i++) {
            double exact = (double) counts.get(i) * SizeMix.TOTAL_WEIGHT / total;
            weights[i] = (int) exact;
            remainders[i] = exact - weights[i];
            given += weights[i];
        }
        for (; given < SizeMix.TOTAL_WEIGHT; given++) {
            int best = 0;
            for (int i = 1; i < remainders.length; i++) {
                if (remainders[i] > remainders[best]) {
                    best = i;
                }
            }
            weights[best]++;
            remainders[best] = -1;
        }
        return weights;
    }

    /** Runs the traffic named by the arguments (default both) and prints what each asked for. */
    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(System.getProperty("capture.seconds", "10"));
        int clients = Integer.getInteger("capture.clients", 16);
        List<Traffic> traffics = args.length == 0 ? List.of(Traffic.values())
            : Arrays.stream(args).map(name -> Traffic.valueOf(name.toUpperCase(Locale.ROOT))).toList();
        for (Traffic traffic : traffics) {
            System.out.printf(Locale.ROOT, "%s traffic: %d clients for %.0f s…%n", traffic.name().toLowerCase(
                Locale.ROOT), clients, seconds);
            Capture capture = capture(traffic, clients, seconds);
            System.out.print(report(capture));
        }
    }

    /** Returns the histogram (every size at least 0.1% of the allocations) and the band table of a capture. */
    static String report(Capture capture) {
        long total = capture.allocations();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
            "%,d allocations, %,d exchanges (%.1f allocations each), %d distinct sizes%n", total,
            capture.exchanges(), (double) total / Math.max(1, capture.exchanges()), capture.sizes().size()));
        text.append("| size | share |\n|---:|---:|\n");
        long shown = 0;
        for (Map.Entry<Integer, Long> entry : capture.sizes().entrySet()) {
            if (entry.getValue() * 1000 >= total) {
                text.append(String.format(Locale.ROOT, "| %,d | %.2f%% |%n", entry.getKey(),
                    100.0 * entry.getValue() / total));
                shown += entry.getValue();
            }
        }
        text.append(String.format(Locale.ROOT, "| others | %.2f%% |%n", 100.0 * (total - shown) / total));
        text.append("bands:\n");
        for (SizeMix.Band band : bands(capture.sizes())) {
            text.append(band.minBytes() == band.maxBytes()
                ? String.format(Locale.ROOT, "    size(%d, %d),%n", band.minBytes(), band.weight())
                : String.format(Locale.ROOT, "    range(%d, %d, %d),%n", band.minBytes(), band.maxBytes(),
                    band.weight()));
        }
        return text.toString();
    }
}
