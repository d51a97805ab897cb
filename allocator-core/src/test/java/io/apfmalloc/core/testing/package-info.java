/**
 * Helpers shared by the core's tests, and through the core's test-jar by the other modules' tests: seeds that a
 * failure names for its replay ({@link io.apfmalloc.core.testing.TestSeeds}), the shrinking of failing command
 * sequences, a steerable fault injector, the patterns written into allocations and checked before they are freed
 * ({@link io.apfmalloc.core.testing.PatternedBlock}) and the mailboxes that carry them between threads, the audit
 * assertions that end a test ({@link io.apfmalloc.core.testing.HeapChecks}), and the {@code stress} tag. They use
 * only the core's public API; helpers that one test uses, or that need package-private access, stay beside it.
 */
package io.apfmalloc.core.testing;
