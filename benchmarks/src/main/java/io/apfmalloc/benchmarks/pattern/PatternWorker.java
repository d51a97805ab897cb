package io.apfmalloc.benchmarks.pattern;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.harness.KeyValueLine;
import io.apfmalloc.benchmarks.netty.EventLoopExecutor;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of the allocation-pattern benchmark: one allocator, some event loops, and the cells its parent
 * sends, one after another. It prints {@code READY}, then for each {@code CELL …} line ({@link ReplayCell}) a
 * {@code PHASE <name>} line as each phase starts and a {@code RESULT …} line ({@link ReplayResult}); a failure
 * answers {@code ERROR …}. {@code quit}, or the end of input, ends it.
 */
public final class PatternWorker {
    private PatternWorker() {
    }

    /**
     * Serves cells until {@code quit}.
     *
     * @param args the allocator ({@code apf}, {@code pooled}, {@code adaptive}, {@code unpooled}) and the number of
     *             event loops (the most threads a cell may ask for)
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: PatternWorker <apf|pooled|adaptive|unpooled> <event loops>");
            System.exit(2);
        }
        ComparedAllocator kind = ComparedAllocator.of(args[0]);
        ByteBufAllocator allocator = kind.createChecked();
        EventLoopExecutor group = new EventLoopExecutor(Integer.parseInt(args[1]), "pattern-loop");
        try {
            List<EventExecutor> loops = new ArrayList<>();
            group.forEach(loops::add);
            reply("READY");
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = input.readLine(); line != null && !line.equals("quit"); line = input.readLine()) {
                if (!KeyValueLine.tag(line).equals(ReplayCell.TAG)) {
                    reply("ERROR unknown command: " + line);
                    continue;
                }
                try {
                    ReplayResult result = Replay.run(kind, allocator, loops, ReplayCell.parse(line),
                        phase -> reply("PHASE " + phase));
                    reply(result.toLine());
                } catch (RuntimeException e) {
                    e.printStackTrace();
                    reply("ERROR " + e.toString().replace('\n', ' '));
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static void reply(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
