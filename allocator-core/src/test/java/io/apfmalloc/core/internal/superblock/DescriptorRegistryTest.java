package io.apfmalloc.core.internal.superblock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ids handed out in order, each naming its one descriptor, across the registry's chunks (1,024 ids each). */
class DescriptorRegistryTest {
    @Test
    void everyIdNamesTheDescriptorCreatedWithIt() {
        DescriptorRegistry registry = new DescriptorRegistry();
        assertEquals(0, registry.size());
        List<Descriptor> created = new ArrayList<>();
        for (int id = 0; id < 2_500; id++) {
            Descriptor descriptor = registry.create();
            assertEquals(id, descriptor.id());
            created.add(descriptor);
        }
        assertEquals(2_500, registry.size());
        for (Descriptor descriptor : created) {
            assertSame(descriptor, registry.get(descriptor.id()));
        }
        assertNull(registry.get(2_500), "an id of an installed chunk not handed out yet");
    }
}
