/**
 * Where memory comes from: anonymous {@code mmap}/{@code munmap} through {@code Linker} downcalls, pooled
 * {@code byte[]} superblocks for the heap kind, the memory limit every mapping is reserved against (a bounded CAS
 * add), and the fault-injecting source that tests put in front of either.
 */
package io.apfmalloc.core.internal.os;
