/**
 * Address to descriptor: the radix tree over 64 KiB units that {@code free}, {@code realloc} and flushes use to find
 * the superblock (or large allocation) an address belongs to, one
 * {@link io.apfmalloc.core.internal.superblock.DescriptorTable DescriptorTable}. Entries are published with release
 * stores before a block reaches another thread and read with acquire loads.
 */
package io.apfmalloc.core.internal.pagemap;
