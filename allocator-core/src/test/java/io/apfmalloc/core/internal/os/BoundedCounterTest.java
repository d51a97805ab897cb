package io.apfmalloc.core.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bounded CAS add behind the memory limit, the retention budget and the arena's carving. */
class BoundedCounterTest {
    @Test
    void addsWithinTheBoundAndRefusesPastItOrOnOverflow() {
        BoundedCounter counter = new BoundedCounter();
        assertEquals(0, counter.tryAdd(6, 10));
        assertEquals(6, counter.tryAdd(4, 10), "up to the bound itself");
        assertEquals(-1, counter.tryAdd(1, 10));
        assertEquals(10, counter.get(), "a refused add changes nothing");
        assertEquals(-1, counter.tryAdd(Long.MAX_VALUE, Long.MAX_VALUE), "overflow is refused");
        counter.subtract(10);
        assertEquals(0, counter.get());
    }

    @Test
    void concurrentAddersNeverOvershootTogether() throws Exception {
        BoundedCounter counter = new BoundedCounter();
        int threads = 4;
        long bound = 100_000;
        AtomicLong granted = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < 100_000; i++) {
                    long before = counter.tryAdd(7, bound);
                    if (before >= 0) {
                        assertTrue(before + 7 <= bound);
                        granted.addAndGet(7);
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(granted.get(), counter.get(), "every granted add counted once");
        assertTrue(counter.get() > bound - 7 && counter.get() <= bound, "filled to the bound: " + counter.get());
    }
}
