package io.apfmalloc.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.apfmalloc.benchmarks.ComparedAllocator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InterleavingTest {
    @Test
    void everyRoundStartsWithTheNextAllocator() {
        List<ComparedAllocator> all = List.of(ComparedAllocator.values());
        for (int start = 0; start < 2 * all.size(); start++) {
            List<ComparedAllocator> order = Interleaving.rotated(all, start);
            assertEquals(all.get(start % all.size()), order.getFirst());
            assertEquals(Set.copyOf(all), Set.copyOf(order), "every allocator runs once per round");
            assertEquals(all.size(), order.size());
        }
    }
}
