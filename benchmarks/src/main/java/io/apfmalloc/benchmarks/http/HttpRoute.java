package io.apfmalloc.benchmarks.http;

import io.apfmalloc.benchmarks.harness.Labelled;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the benchmark server answers: a small response, a 16 KiB response, and a 64 KiB POST body echoed back. The
 * bodies are fixed, so a client can check every byte.
 */
public enum HttpRoute implements Labelled {
    /** {@code GET /small}: {@code Hello, world!} and a newline. */
    SMALL("GET", "/small", new byte[0], "Hello, world!\n".getBytes(StandardCharsets.US_ASCII)),
    /** {@code GET /16k}: 16 KiB of a fixed pattern. */
    LARGE("GET", "/16k", new byte[0], pattern(16 << 10, 'a')),
    /** {@code POST /echo} with a 64 KiB body: the body, returned as it came. */
    ECHO("POST", "/echo", pattern(64 << 10, 'A'), pattern(64 << 10, 'A'));

    private final String method;
    private final String path;
    private final byte[] requestBody;
    private final byte[] responseBody;

    HttpRoute(String method, String path, byte[] requestBody, byte[] responseBody) {
        this.method = method;
        this.path = path;
        this.requestBody = requestBody;
        this.responseBody = responseBody;
    }

    /** Letters from {@code first} on, cycling through 26, with a shift every 26 bytes so no two 26-byte runs match. */
    private static byte[] pattern(int length, char first) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (first + (i + i / 26) % 26);
        }
        return bytes;
    }

    /** Returns the HTTP method, {@code GET} or {@code POST}. */
    public String method() {
        return method;
    }

    /** Returns the request path, e.g. {@code /16k}. */
    public String path() {
        return path;
    }

    /** Returns a copy of the request body (empty for a GET). */
    public byte[] requestBody() {
        return requestBody.clone();
    }

    /** Returns a copy of the body the server answers with. */
    public byte[] responseBody() {
        return responseBody.clone();
    }

    /** Returns the length of the response body. */
    public int responseLength() {
        return responseBody.length;
    }

    /** Returns whether {@code body} is this route's response body, byte for byte. */
    public boolean isResponseBody(byte[] body) {
        return Arrays.equals(body, responseBody);
    }

    /** Writes the response body into {@code target} (what the server sends). */
    void writeResponseBody(ByteBuf target) {
        target.writeBytes(responseBody);
    }

    /** Returns the route of {@code method} and {@code uri}, or null for any other request. */
    public static HttpRoute of(String method, String uri) {
        for (HttpRoute route : values()) {
            if (route.method.equals(method) && route.path.equals(uri)) {
                return route;
            }
        }
        return null;
    }

    /** Returns the route named {@code label} (any case). */
    public static HttpRoute ofLabel(String label) {
        return Labelled.parse(HttpRoute.class, "route", label);
    }
}
