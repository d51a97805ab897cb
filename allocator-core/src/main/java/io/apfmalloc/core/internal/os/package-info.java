/**
 * Where memory comes from: anonymous {@code mmap}/{@code munmap}/{@code madvise} through {@code Linker} downcalls,
 * pooled {@code byte[]} superblocks for the heap kind, the memory limit every mapping is reserved against, the one
 * bounded CAS add ({@code BoundedCounter}) that the limit shares with the retention budget and the superblock arena,
 * and the fault-injecting source that tests put in front of either.
 */
package io.apfmalloc.core.internal.os;
