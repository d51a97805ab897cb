package io.apfmalloc.benchmarks.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The standard-input loop of a benchmark server's JVM: it prints {@code PORT <port>}, then answers {@code reset}
 * with {@code OK} after running {@code reset}, and {@code stats} with the line {@code stats} makes; any other line
 * answers {@code ERROR …}. {@code quit}, or the end of input, returns.
 */
public final class ServerConsole {
    private ServerConsole() {
    }

    /** Serves the commands of the parent JVM until {@code quit}; see the class comment. */
    public static void serve(int port, Runnable reset, Supplier<String> stats) throws IOException {
        reply("PORT " + port);
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = input.readLine(); line != null && !line.equals("quit"); line = input.readLine()) {
            switch (line.trim()) {
                case "reset" -> {
                    reset.run();
                    reply("OK");
                }
                case "stats" -> reply(stats.get());
                default -> reply("ERROR unknown command: " + line);
            }
        }
    }

    private static void reply(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
