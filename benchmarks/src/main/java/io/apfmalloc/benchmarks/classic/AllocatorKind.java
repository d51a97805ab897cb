package io.apfmalloc.benchmarks.classic;

import io.apfmalloc.benchmarks.harness.Labelled;
import io.apfmalloc.benchmarks.raw.Libc;
import io.apfmalloc.benchmarks.raw.NativeMalloc;
import io.apfmalloc.core.ApfMalloc;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The allocators compared: apfmalloc two ways, and the process's glibc and Debian's jemalloc, mimalloc and tcmalloc
 * through {@code Linker} downcalls linked as critical ({@link NativeMalloc#link} says why that is legitimate).
 * The three libraries are loaded with {@link SymbolLookup#libraryLookup(Path, Arena)}: their {@code malloc} and
 * {@code free} serve only the benchmark's calls, while the JVM itself keeps allocating from glibc.
 */
public enum AllocatorKind implements Labelled {
    /** {@code ApfMalloc.doMalloc}/{@code doFree}: the shared allocator, default settings. */
    APF(null, null),
    /** The shared allocator through an {@code ApfThreadCache} that each worker thread binds. */
    APF_CACHE(null, null),
    /** glibc's {@code malloc}, the process's own (the default lookup). */
    GLIBC(null, null),
    /** jemalloc 5 from Debian's libjemalloc2. */
    JEMALLOC("libjemalloc.so.2", "libjemalloc2"),
    /** mimalloc 2 from Debian's libmimalloc2.0. */
    MIMALLOC("libmimalloc.so.2", "libmimalloc2.0"),
    /** gperftools' tcmalloc from Debian's libtcmalloc-minimal4. */
    TCMALLOC("libtcmalloc_minimal.so.4", "libtcmalloc-minimal4");

    /**
     * The glibc tunable jemalloc needs in the JVM's environment ({@code GLIBC_TUNABLES}): Debian's jemalloc keeps
     * its thread state in initial-exec TLS, which a library loaded after startup gets only from the static TLS
     * reserve, and glibc's default reserve is too small for it (the {@code dlopen} fails).
     */
    public static final String STATIC_TLS_TUNABLE = "glibc.rtld.optional_static_tls=65536";

    /** Where Debian (x86-64, AArch64) and other distributions put shared libraries; searched in this order. */
    private static final List<Path> LIBRARY_DIRECTORIES = Stream.of("/usr/lib/x86_64-linux-gnu",
        "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib",
        "/usr/local/lib").map(Path::of).toList();

    private final String libraryName;
    private final String debianPackage;

    AllocatorKind(String libraryName, String debianPackage) {
        this.libraryName = libraryName;
        this.debianPackage = debianPackage;
    }

    /** Returns whether this is one of apfmalloc's variants. */
    public boolean isApf() {
        return this == APF || this == APF_CACHE;
    }

    /** Returns the library file, if this allocator is loaded from one and it is installed. */
    public Optional<Path> library() {
        return libraryName == null ? Optional.empty()
            : LIBRARY_DIRECTORIES.stream().map(directory -> directory.resolve(libraryName)).filter(Files::isRegularFile)
                .findFirst();
    }

    /** Returns why this allocator cannot run here (a one-line message naming the package), or empty if it can. */
    public Optional<String> unavailability() {
        if (libraryName == null || library().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(label() + " skipped: " + libraryName + " not found in /usr/lib/x86_64-linux-gnu and the"
            + " usual places (install Debian's " + debianPackage + ", e.g. benchmarks/install-native-allocators.sh)");
    }

    /**
     * Makes this allocator: loads its library, if any, and links its functions.
     *
     * @throws IllegalStateException if the library is missing or cannot be loaded, with the reason
     */
    public ClassicAllocator open() {
        return switch (this) {
            case APF -> new ApfHeap(ApfMalloc.allocator());
            case APF_CACHE -> new ApfBoundCaches(ApfMalloc.allocator());
            case GLIBC, JEMALLOC, MIMALLOC, TCMALLOC -> new NativeHeap(linkNative());
        };
    }

    /**
     * Links this native allocator's {@code malloc} and {@code free} as critical downcalls: glibc's from the default
     * lookup, the others from their libraries.
     *
     * @throws IllegalStateException if this is one of apfmalloc's, or its library is missing or cannot be loaded
     */
    public NativeMalloc linkNative() {
        return switch (this) {
            case APF, APF_CACHE -> throw new IllegalStateException(label() + " is not a native allocator");
            case GLIBC -> Libc.critical();
            case JEMALLOC, MIMALLOC, TCMALLOC -> linkLibrary();
        };
    }

    private NativeMalloc linkLibrary() {
        Path path = library().orElseThrow(() -> new IllegalStateException(unavailability().orElseThrow()));
        SymbolLookup symbols;
        try {
            symbols = SymbolLookup.libraryLookup(path, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(label() + ": cannot load " + path + (this == JEMALLOC
                ? " (jemalloc needs GLIBC_TUNABLES=" + STATIC_TLS_TUNABLE + " in the JVM's environment)" : ""), e);
        }
        // A library's lookup searches its dependencies too; a library without a malloc of its own would get glibc's.
        long glibcMalloc = NativeMalloc.find(Linker.nativeLinker().defaultLookup(), "malloc").address();
        if (NativeMalloc.find(symbols, "malloc").address() == glibcMalloc) {
            throw new IllegalStateException(label() + ": " + path + " has no malloc of its own");
        }
        return NativeMalloc.link(symbols, true);
    }

    /** Returns the allocator labelled {@code label} (any case). */
    public static AllocatorKind of(String label) {
        return Labelled.parse(AllocatorKind.class, "allocator", label);
    }
}
