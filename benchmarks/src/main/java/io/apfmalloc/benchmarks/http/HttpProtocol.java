package io.apfmalloc.benchmarks.http;

import io.apfmalloc.benchmarks.harness.Labelled;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * How the benchmark talks HTTP: HTTP/1.1 in clear text, driven by {@code wrk}, or HTTP/2 over TLS, driven by
 * {@code h2load}, with the JDK's TLS or with BoringSSL through netty-tcnative.
 */
public enum HttpProtocol implements Labelled {
    /** HTTP/1.1 with keep-alive, no TLS; load from {@code wrk}. */
    HTTP1(null, LoadTool.WRK),
    /** HTTP/2 over TLS with the JDK's {@code SSLEngine}; load from {@code h2load}. */
    H2_JDK(SslProvider.JDK, LoadTool.H2LOAD),
    /** HTTP/2 over TLS with netty-tcnative-boringssl-static's {@code SSLEngine}; load from {@code h2load}. */
    H2_OPENSSL(SslProvider.OPENSSL, LoadTool.H2LOAD);

    private final SslProvider sslProvider;
    private final LoadTool tool;

    HttpProtocol(SslProvider sslProvider, LoadTool tool) {
        this.sslProvider = sslProvider;
        this.tool = tool;
    }

    /** Returns the TLS implementation, or null for clear text. */
    public SslProvider sslProvider() {
        return sslProvider;
    }

    /** Returns whether the connection is TLS. */
    public boolean isTls() {
        return sslProvider != null;
    }

    /** Returns the load generator that drives this protocol. */
    public LoadTool tool() {
        return tool;
    }

    /** Returns why this protocol cannot run here (its tool or its TLS library is missing), or null if it can. */
    public String unavailabilityCause() {
        if (!tool.isInstalled()) {
            return tool.command() + " is not installed (benchmarks/install-http-load-tools.sh installs it)";
        }
        if (sslProvider == SslProvider.OPENSSL && !OpenSsl.isAvailable()) {
            return "netty-tcnative does not load here: " + OpenSsl.unavailabilityCause();
        }
        return null;
    }

    /** Returns the protocol named {@code label} (any case). */
    public static HttpProtocol of(String label) {
        return Labelled.parse(HttpProtocol.class, "protocol", label);
    }
}
