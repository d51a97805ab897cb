/**
 * Raw allocation benchmarks: apfmalloc's {@code doMalloc}/{@code doFree} against glibc {@code malloc}/{@code free}
 * called through {@link java.lang.foreign.Linker} downcalls and against one {@link java.lang.foreign.Arena} per
 * allocation, in the same run, on the same shapes.
 *
 * <p>Every benchmark writes one {@code long} at offset 0 of each block it allocates (the block's own address), so
 * no allocation is dead code and the first touch of fresh memory (page faults on new mappings) is paid by every
 * allocator alike. Each shape has one benchmark method per allocator, named the same in every class:
 * {@code apf}, {@code libc}, {@code arenaShared}, {@code arenaConfined}; {@link
 * io.apfmalloc.benchmarks.RawMallocComparison} runs them all and prints the ratios.
 *
 * <p>The ring of the hand-off benchmark, {@link io.apfmalloc.benchmarks.raw.SpscRing}, follows JCTools' naming of
 * accessors by memory ordering: {@code lp}/{@code sp} plain load/store, {@code la}/{@code so} acquire load and
 * release ("ordered") store.
 */
package io.apfmalloc.benchmarks.raw;
