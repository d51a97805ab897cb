package io.apfmalloc.netty;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.FlightRecorder;

/**
 * Opt-in JDK Flight Recorder metrics: {@link #register} makes a recording show an allocator's memory next to GC,
 * threads and sockets, as the periodic event {@value #EVENT_NAME} (used, live, cached and retained direct bytes,
 * heap bytes, the limit; one event per registered allocator, told apart by its {@code allocator} field).
 *
 * <p>Once registered, the event is emitted every second while a recording that enables it runs (the default and
 * profile settings do; change it with {@code io.apfmalloc.AllocatorMetrics#period}), and costs nothing otherwise.
 * Record as usual, {@code java -XX:StartFlightRecording:filename=rec.jfr ...}, and read it with
 * {@code jfr print --events io.apfmalloc.AllocatorMetrics rec.jfr}.
 *
 * <p>Needs the {@code jdk.jfr} module: always there on the class path; on the module path it is resolved with
 * {@code -XX:StartFlightRecording}, {@code --add-modules jdk.jfr} or an application module requiring it. Any thread
 * may call.
 */
public final class ApfJfr {
    /** The periodic event's name in recordings. */
    public static final String EVENT_NAME = "io.apfmalloc.AllocatorMetrics";

    private static final Set<ApfByteBufAllocator> REGISTERED = ConcurrentHashMap.newKeySet();
    private static boolean hookAdded;

    private ApfJfr() {
    }

    /**
     * Emits {@value #EVENT_NAME} for {@code allocator} periodically from now on; the allocator is then held until
     * {@link #unregister}.
     *
     * @return false if it was registered already
     * @throws IllegalStateException if this JVM has no JFR or the {@code jdk.jfr} module is not resolved
     */
    public static synchronized boolean register(ApfByteBufAllocator allocator) {
        if (!isAvailable()) {
            throw new IllegalStateException("JFR is not available: this JVM has none, or the jdk.jfr module is not"
                + " resolved (on the module path, add --add-modules jdk.jfr)");
        }
        if (!hookAdded) {
            FlightRecorder.addPeriodicEvent(AllocatorMetricsEvent.class,
                () -> REGISTERED.forEach(AllocatorMetricsEvent::emit));
            hookAdded = true;
        }
        return REGISTERED.add(allocator);
    }

    /** Returns whether this JVM records JFR events: it has JFR, and the {@code jdk.jfr} module is resolved. */
    static boolean isAvailable() {
        try {
            return FlightRecorder.isAvailable();
        } catch (NoClassDefFoundError jfrModuleNotResolved) {
            return false;
        }
    }

    /**
     * Stops the event for {@code allocator}.
     *
     * @return false if it was not registered
     */
    public static boolean unregister(ApfByteBufAllocator allocator) {
        return REGISTERED.remove(allocator);
    }
}
