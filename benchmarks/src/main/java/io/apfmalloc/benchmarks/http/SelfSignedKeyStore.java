package io.apfmalloc.benchmarks.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away key and self-signed certificate for {@code localhost} and {@code 127.0.0.1} (an EC P-256 key, valid
 * for two days) in a PKCS #12 file, made by the JDK's {@code keytool}: the server's TLS identity, and what a test's
 * client trusts. Load generators do not check certificates.
 */
public final class SelfSignedKeyStore {
    private static final String PASSWORD = "apfmalloc-bench";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private final KeyStore keyStore;

    private SelfSignedKeyStore(KeyStore keyStore) {
        this.keyStore = keyStore;
    }

    /**
     * Makes a new key store file {@code file} with the JDK's {@code keytool} (replacing one that is there).
     *
     * @throws IOException if keytool fails
     */
    public static Path generate(Path file) throws IOException, InterruptedException {
        Files.deleteIfExists(file);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server",
            "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
            "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
            "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"))
            .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool failed: " + output);
        }
        return file;
    }

    /** Reads a key store that {@link #generate} made. */
    public static SelfSignedKeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream input = Files.newInputStream(file)) {
            keyStore.load(input, PASSWORD.toCharArray());
        }
        return new SelfSignedKeyStore(keyStore);
    }

    /** Returns key managers that present the key and certificate: a TLS server's. */
    public KeyManagerFactory keyManagers() throws GeneralSecurityException {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keyStore, PASSWORD.toCharArray());
        return factory;
    }

    /** Returns a client's TLS context that trusts this certificate and no other. */
    public SSLContext clientContext() throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
