package io.apfmalloc.core.testing;

import io.apfmalloc.core.ApfAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One inbox per worker thread of a stress test, through which workers hand blocks to one another, so that a block is
 * freed by another thread than the one that allocated it. Any thread may send; each worker receives its own.
 */
public final class Mailboxes {
    private final List<ConcurrentLinkedQueue<PatternedBlock>> inboxes = new ArrayList<>();

    /** Makes an empty inbox for each of {@code workers} workers. */
    public Mailboxes(int workers) {
        for (int i = 0; i < workers; i++) {
            inboxes.add(new ConcurrentLinkedQueue<>());
        }
    }

    /** Sends {@code block} from worker {@code from} to another worker picked with {@code random}. */
    public void sendToAnother(int from, SplittableRandom random, PatternedBlock block) {
        inboxes.get((from + 1 + random.nextInt(inboxes.size() - 1)) % inboxes.size()).add(block);
    }

    /** Checks and frees, through {@code allocator}, up to {@code most} blocks sent to worker {@code to}. */
    public void freeReceived(int to, int most, ApfAllocator allocator) {
        ConcurrentLinkedQueue<PatternedBlock> inbox = inboxes.get(to);
        for (int i = 0; i < most; i++) {
            PatternedBlock block = inbox.poll();
            if (block == null) {
                return;
            }
            block.verify();
            allocator.free(block.address());
        }
    }

    /** Returns whether every inbox is empty; once the workers are done. */
    public boolean allEmpty() {
        return inboxes.stream().allMatch(ConcurrentLinkedQueue::isEmpty);
    }
}
