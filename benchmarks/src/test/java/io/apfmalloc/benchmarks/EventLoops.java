package io.apfmalloc.benchmarks;

import io.apfmalloc.benchmarks.netty.EventLoopExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Event loops for the tests of a class, started before its first test and shut down after its last: register as a
 * static field with {@code @RegisterExtension}.
 */
public final class EventLoops implements BeforeAllCallback, AfterAllCallback {
    private final int count;
    private final String prefix;
    private final List<EventExecutor> loops = new ArrayList<>();
    private EventLoopExecutor group;

    /** Makes {@code count} loops whose threads' names start with {@code prefix}. */
    public EventLoops(int count, String prefix) {
        this.count = count;
        this.prefix = prefix;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        group = new EventLoopExecutor(count, prefix);
        group.forEach(loops::add);
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        loops.clear();
    }

    /** Returns the loops, each its own thread. */
    public List<EventExecutor> loops() {
        return List.copyOf(loops);
    }
}
