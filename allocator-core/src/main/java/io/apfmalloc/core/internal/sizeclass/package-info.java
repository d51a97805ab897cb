/**
 * The size classes, 8 B to 1 MiB, and each class's superblock geometry: arithmetic lookups with no table on the hot
 * path, and block indices by multiplication instead of division.
 */
package io.apfmalloc.core.internal.sizeclass;
