package io.apfmalloc.core.internal.superblock;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every descriptor ever made, by id: the lock-free stacks link descriptors by id (so a stack head fits one
 * {@code long} with its ABA tag), and heap walks visit them all. Chunks are installed by CAS and never move
 * ({@link DescriptorTable}).
 */
public final class DescriptorRegistry extends DescriptorTable {
    private static final int CHUNK_SHIFT = 10;
    private static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
    /** 2^24 descriptors: 1 TiB of the smallest superblocks, far past any memory limit. */
    private static final int MAX_CHUNKS = 1 << 14;

    private final AtomicInteger created = new AtomicInteger();

    /** Makes an empty registry: no chunk installed. */
    public DescriptorRegistry() {
        super(MAX_CHUNKS, CHUNK_SIZE);
    }

    /**
     * Makes a new descriptor with the next id. Callers first try to recycle a retired one.
     *
     * @return the descriptor, or {@code null} when the id space is exhausted
     */
    public Descriptor create() {
        int id = created.getAndIncrement();
        if (id < 0 || id >= MAX_CHUNKS * CHUNK_SIZE) {
            created.getAndDecrement();
            return null;
        }
        Descriptor descriptor = new Descriptor(id);
        soEntry(id >>> CHUNK_SHIFT, id & (CHUNK_SIZE - 1), descriptor);
        return descriptor;
    }

    /** Returns the descriptor with id {@code id}, which must have been created. */
    public Descriptor get(int id) {
        return laEntry(id >>> CHUNK_SHIFT, id & (CHUNK_SIZE - 1));
    }

    /** Returns how many ids were handed out; descriptors {@code 0 .. size()-1} may be read with {@link #get}. */
    public int size() {
        return created.get();
    }
}
