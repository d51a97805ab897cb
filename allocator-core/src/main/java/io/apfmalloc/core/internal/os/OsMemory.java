package io.apfmalloc.core.internal.os;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Memory straight from the kernel: anonymous private {@code mmap}, {@code munmap} to return it, through
 * {@link Linker} downcalls. Unmapping really lowers the process's RSS, which is the point of the EMPTY state.
 *
 * <p>Mappings are {@code MAP_NORESERVE}: untouched pages cost nothing, so a superblock's untouched tail is free and
 * a multi-GiB large allocation succeeds as the kernel allows. Linux only (x86-64 and AArch64 share these constants).
 */
public final class OsMemory implements MemorySource {
    /** The system page size assumed for rounding; every Linux x86-64 and common AArch64 kernel has 4 KiB pages. */
    public static final long PAGE_SIZE = 4096;

    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final long MAP_FAILED = -1L;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_NOHUGEPAGE = 15;

    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MADVISE;

    static {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            throw new ExceptionInInitializerError("apfmalloc maps memory with Linux mmap; this OS is "
                + System.getProperty("os.name"));
        }
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        MMAP = linker.downcallHandle(libc.find("mmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        MUNMAP = linker.downcallHandle(libc.find("munmap").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        MADVISE = linker.downcallHandle(libc.find("madvise").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT));
    }

    /** The one instance: the kernel has no state of ours to keep. */
    public static final OsMemory INSTANCE = new OsMemory();

    private OsMemory() {
    }

    /**
     * Maps {@code size + alignment - PAGE_SIZE} bytes and trims the unaligned head and the tail: three system calls
     * at most, paid once per superblock or large allocation.
     */
    @Override
    public long map(long size, long alignment) {
        long overhang = alignment > PAGE_SIZE ? alignment - PAGE_SIZE : 0;
        long length = size + overhang;
        if (length < size) {
            return 0;
        }
        long raw = mmap(length);
        if (raw == 0) {
            return 0;
        }
        long aligned = (raw + alignment - 1) & -alignment;
        if (aligned > raw) {
            munmap(raw, aligned - raw);
        }
        long tail = raw + length - (aligned + size);
        if (tail > 0) {
            munmap(aligned + size, tail);
        }
        return aligned;
    }

    @Override
    public void unmap(long address, long size) {
        munmap(address, size);
    }

    /**
     * Reserves {@code size} bytes of address space, {@code alignment}-aligned, that cost nothing until touched:
     * one mapping that stays for the life of the process. Transparent huge pages are turned off for it, so that
     * touching one block of a small superblock faults in 4 KiB, not 2 MiB, whatever the system's THP setting.
     *
     * @return the address, or 0 when the kernel refuses (strict overcommit accounting, an address-space limit)
     */
    public long reserve(long size, long alignment) {
        long address = map(size, alignment);
        if (address != 0) {
            madvise(address, size, MADV_NOHUGEPAGE);
        }
        return address;
    }

    /**
     * Gives the pages of {@code [address, address + size)}, inside a {@linkplain #reserve reservation}, back to the
     * kernel: RSS drops now, and the range reads as zeros when next touched. One system call, no unmapping, so the
     * range can be reused without mapping it again.
     */
    public void discard(long address, long size) {
        if (madvise(address, size, MADV_DONTNEED) != 0) {
            throw new IllegalStateException("madvise(0x" + Long.toHexString(address) + ", " + size
                + ", MADV_DONTNEED) failed");
        }
    }

    private static long mmap(long length) {
        try {
            long address = (long) MMAP.invokeExact(0L, length, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
            return address == MAP_FAILED ? 0 : address;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap failed", t);
        }
    }

    private static int madvise(long address, long length, int advice) {
        try {
            return (int) MADVISE.invokeExact(address, length, advice);
        } catch (Throwable t) {
            throw new IllegalStateException("madvise failed", t);
        }
    }

    private static void munmap(long address, long length) {
        int result;
        try {
            result = (int) MUNMAP.invokeExact(address, length);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
        if (result != 0) {
            throw new IllegalStateException("munmap(0x" + Long.toHexString(address) + ", " + length + ") failed");
        }
    }
}
