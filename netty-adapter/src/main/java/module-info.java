/**
 * {@link io.apfmalloc.netty.ApfByteBufAllocator}, a Netty {@code ByteBufAllocator} over the apfmalloc core, with its
 * buffers and metrics.
 *
 * <p>JFR is optional, as in Netty's own modules: the JFR events work when {@code jdk.jfr} is resolved (always on
 * the class path; on the module path with {@code -XX:StartFlightRecording}, {@code --add-modules jdk.jfr} or an
 * application module that requires it).
 */
module io.apfmalloc.netty {
    // Their types are in this module's API: the core's figures (AllocatorStats), ByteBuf, ReferenceCounted.
    requires transitive io.apfmalloc.core;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires static jdk.jfr;

    exports io.apfmalloc.netty;
}
