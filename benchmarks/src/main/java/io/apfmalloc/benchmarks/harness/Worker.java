package io.apfmalloc.benchmarks.harness;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.netty.EventLoopExecutor;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The main loop of a benchmark's child JVM: one allocator, some event loops, and the commands its parent sends on
 * standard input, one line each. It prints {@code READY}, then hands every line with the command's tag to the
 * command, whose answers go to standard output one line each; a failure answers {@code ERROR …} (the stack trace
 * goes to standard error), an unknown line too. {@code quit}, or the end of input, ends it.
 */
public final class Worker {
    private Worker() {
    }

    /** What the child does with one command line. */
    @FunctionalInterface
    public interface Command {
        /**
         * Runs {@code line} with {@code allocator} (of kind {@code kind}) on {@code loops}; {@code answer} prints a
         * line, from any thread.
         */
        void run(ComparedAllocator kind, ByteBufAllocator allocator, List<EventExecutor> loops, String line,
                 Consumer<String> answer) throws Exception;
    }

    /**
     * Serves {@code tag} lines with {@code command} until {@code quit}.
     *
     * @param name the worker's name, for the usage message and its event loops' threads
     * @param args the allocator ({@code apf}, {@code pooled}, {@code adaptive}, {@code unpooled}) and the number of
     *             event loops
     */
    public static void serve(String name, String[] args, String tag, Command command) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: " + name + " <apf|pooled|adaptive|unpooled> <event loops>");
            System.exit(2);
        }
        ComparedAllocator kind = ComparedAllocator.of(args[0]);
        ByteBufAllocator allocator = kind.createChecked();
        EventLoopExecutor group = new EventLoopExecutor(Integer.parseInt(args[1]), name + "-loop");
        try {
            List<EventExecutor> loops = new ArrayList<>();
            group.forEach(loops::add);
            answer("READY");
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = input.readLine(); line != null && !line.equals("quit"); line = input.readLine()) {
                if (!KeyValueLine.tag(line).equals(tag)) {
                    answer("ERROR unknown command: " + line);
                    continue;
                }
                try {
                    command.run(kind, allocator, loops, line, Worker::answer);
                } catch (Exception e) {
                    e.printStackTrace();
                    answer("ERROR " + e.toString().replace('\n', ' '));
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static synchronized void answer(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
