/**
 * Superblocks: the {@link io.apfmalloc.core.internal.superblock.Descriptor} of each (its memory, size class and
 * CAS-ed anchor, whose bits {@link io.apfmalloc.core.internal.superblock.AnchorLayout} lays out), the registry that
 * names descriptors by id for the tagged stacks, the two-level table with lazily CAS-installed leaves that the
 * registry and the page map extend ({@link io.apfmalloc.core.internal.superblock.DescriptorTable}), and the
 * {@link io.apfmalloc.core.internal.superblock.LinkStore} seam through which free-list links are read and written: in
 * native memory, in {@code byte[]} superblocks, or in an on-heap model that Lincheck can see. Accessor names follow
 * the prefixes of the heap package.
 */
package io.apfmalloc.core.internal.superblock;
