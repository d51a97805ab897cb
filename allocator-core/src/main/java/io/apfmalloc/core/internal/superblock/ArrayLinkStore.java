package io.apfmalloc.core.internal.superblock;

import io.apfmalloc.core.internal.os.ArrayMemorySource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Free-list links in the first four bytes of blocks of {@code byte[]} superblocks. */
public final class ArrayLinkStore implements LinkStore {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ArrayMemorySource source;

    /** Makes a link store over the arrays of {@code source}. */
    public ArrayLinkStore(ArrayMemorySource source) {
        this.source = source;
    }

    @Override
    public int readLink(long blockAddress) {
        return (int) INT.get(source.array(blockAddress), ArrayMemorySource.offset(blockAddress));
    }

    @Override
    public void writeLink(long blockAddress, int storedLink) {
        INT.set(source.array(blockAddress), ArrayMemorySource.offset(blockAddress), storedLink);
    }
}
