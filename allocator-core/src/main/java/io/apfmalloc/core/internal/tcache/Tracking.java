package io.apfmalloc.core.internal.tcache;

/**
 * Whether a malloc or free is seen by the APF tuner: the strategy each pair of the allocator's entry points picks
 * ({@code malloc}/{@code free}: tracked; {@code mallocUntracked}/{@code freeUntracked}: not), so that
 * {@link ThreadCaches} routes both kinds to a cache in one place. The entry points pass a constant, which the JIT
 * folds into a direct call once the routing is inlined.
 */
public enum Tracking {
    /** Seen by the tuner: the program's own allocations. */
    TRACKED {
        @Override
        long allocate(ThreadCache cache, int sizeClass) {
            return cache.allocate(sizeClass);
        }

        @Override
        void free(ThreadCache cache, int sizeClass, long block) {
            cache.free(sizeClass, block);
        }
    },
    /** Unseen by the tuner: metadata that should not shape the caches (the seed's "independent collections"). */
    UNTRACKED {
        @Override
        long allocate(ThreadCache cache, int sizeClass) {
            return cache.allocateUntracked(sizeClass);
        }

        @Override
        void free(ThreadCache cache, int sizeClass, long block) {
            cache.freeUntracked(sizeClass, block);
        }
    };

    /** Takes a block of {@code sizeClass} from {@code cache}; 0 if the heap could not provide memory. */
    abstract long allocate(ThreadCache cache, int sizeClass);

    /** Gives {@code block} of {@code sizeClass} to {@code cache}. */
    abstract void free(ThreadCache cache, int sizeClass, long block);
}
