package io.apfmalloc.core.internal.heap;

import io.apfmalloc.core.internal.os.MemorySource;
import io.apfmalloc.core.internal.os.OsMemory;
import io.apfmalloc.core.internal.sizeclass.SizeClasses;
import io.apfmalloc.core.internal.superblock.LinkStore;
import io.apfmalloc.core.internal.superblock.OffHeapLinkStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real memory ({@link OsMemory}, {@link OffHeapLinkStore}) with the checks of {@link FakeSuperblockMemory}, for
 * stress tests on real threads: it counts, per superblock, the blocks users hold, and fails (with an
 * {@link AssertionError}) when the heap unmaps a superblock twice or while a user holds one of its blocks, or touches
 * a link outside a mapped superblock. Such an unmap is refused rather than done, so a bug fails the test instead of
 * crashing the JVM. Every superblock must be exactly {@link SizeClasses#SUPERBLOCK_ALIGNMENT} bytes.
 */
final class CheckedOsMemory implements MemorySource, LinkStore {
    private static final long SUPERBLOCK_MASK = ~((long) SizeClasses.SUPERBLOCK_ALIGNMENT - 1);

    /** Mapped superblocks by base address, with the number of their blocks users hold. */
    private final ConcurrentHashMap<Long, AtomicInteger> mapped = new ConcurrentHashMap<>();
    private final AtomicInteger unmaps = new AtomicInteger();

    @Override
    public long map(long size, long alignment) {
        check(size == SizeClasses.SUPERBLOCK_ALIGNMENT, "map of %d bytes: not one 64 KiB superblock", size);
        long address = OsMemory.INSTANCE.map(size, alignment);
        if (address != 0) {
            check(mapped.put(address, new AtomicInteger()) == null, "0x%x mapped twice", address);
        }
        return address;
    }

    @Override
    public void unmap(long address, long size) {
        AtomicInteger users = mapped.remove(address);
        check(users != null, "0x%x unmapped but not mapped", address);
        check(users.get() == 0, "0x%x unmapped while users hold %d of its blocks", address, users.get());
        OsMemory.INSTANCE.unmap(address, size);
        unmaps.incrementAndGet();
    }

    @Override
    public int readLink(long blockAddress) {
        superblockOf(blockAddress, "link read");
        return OffHeapLinkStore.INSTANCE.readLink(blockAddress);
    }

    @Override
    public void writeLink(long blockAddress, int storedLink) {
        superblockOf(blockAddress, "link write");
        OffHeapLinkStore.INSTANCE.writeLink(blockAddress, storedLink);
    }

    /** Records that a user received {@code block}. */
    void handedOut(long block) {
        superblockOf(block, "hand-out").incrementAndGet();
    }

    /** Records that a user is about to return {@code block}. */
    void returning(long block) {
        superblockOf(block, "return").decrementAndGet();
    }

    /** Returns how many superblocks are mapped now. */
    int superblocksMapped() {
        return mapped.size();
    }

    /** Returns how many superblocks were unmapped so far. */
    int unmaps() {
        return unmaps.get();
    }

    private AtomicInteger superblockOf(long block, String what) {
        AtomicInteger users = mapped.get(block & SUPERBLOCK_MASK);
        check(users != null, "%s of 0x%x outside any mapped superblock", what, block);
        return users;
    }

    private static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new AssertionError(String.format(format, args));
        }
    }
}
