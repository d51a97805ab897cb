package io.apfmalloc.benchmarks.harness;

import io.apfmalloc.benchmarks.ComparedAllocator;
import io.apfmalloc.benchmarks.JvmMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child JVM (an echo server, a load client, a benchmark worker) that talks in lines: commands on its standard
 * input, answers on its standard output; its standard error is appended to a log file. It runs on this JVM's own
 * {@code java} and class path, and ends by itself when this JVM does (its input closes).
 */
public final class ChildJvm implements AutoCloseable {
    /** Every child JVM's flag: the allocator maps memory, and Netty's epoll loads JNI, through restricted calls. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** The answer queued when the child's output ends. */
    private static final String END = "\0end";
    private static final long QUIT_TIMEOUT_SECONDS = 10;
    /** The heap of an allocator's child: the benchmark's arrays and buffer objects, the allocators' own objects. */
    private static final String ALLOCATOR_CHILD_HEAP = "-Xmx1g";
    private static final String ALLOCATOR_CHILD_YOUNG = "-Xmn32m";

    private final String name;
    private final Process process;
    private final Writer input;
    private final Path log;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readOutput, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Returns the command line of a JVM like this one: the same {@code java} executable and class path,
     * {@code --enable-native-access=ALL-UNNAMED}, then {@code jvmFlags}, the main class and its arguments.
     */
    public static List<String> command(List<String> jvmFlags, Class<?> mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
            .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add(NATIVE_ACCESS);
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(arguments);
        return command;
    }

    /**
     * Returns the flags of a child JVM that measures an allocator ({@link Worker}): the mode's flags, the mode Netty
     * must find itself in ({@link ComparedAllocator#EXPECT_UNSAFE}), {@code -Xmx1g} with a young
     * generation fixed at 32 MiB, {@code -XX:MaxDirectMemorySize} (Netty's and our limit)
     * at {@code maxDirectMemory}, then {@code extra}.
     *
     * <p>The young generation is fixed so that the garbage of a fast allocation rate (mostly Netty's leak detector's
     * sampled traces) cannot grow the resident set by tens of MiB through the collector's sizing, which would differ
     * by allocator and hide the allocators' own memory.
     */
    public static List<String> allocatorFlags(JvmMode mode, long maxDirectMemory, List<String> extra) {
        List<String> flags = new ArrayList<>(mode.flags());
        flags.add("-D" + ComparedAllocator.EXPECT_UNSAFE + "=" + mode.allowsUnsafe());
        flags.add(ALLOCATOR_CHILD_HEAP);
        flags.add(ALLOCATOR_CHILD_YOUNG);
        flags.add("-XX:MaxDirectMemorySize=" + maxDirectMemory);
        flags.addAll(extra);
        return flags;
    }

    /** Starts {@code command}, its standard error appended to {@code log}. */
    public static ChildJvm start(String name, List<String> command, Path log) throws IOException {
        return start(name, command, Map.of(), log);
    }

    /**
     * Starts {@code command} with {@code environment} added to this JVM's environment (replacing variables of the
     * same name), its standard error appended to {@code log}.
     */
    public static ChildJvm start(String name, List<String> command, Map<String, String> environment, Path log)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        return new ChildJvm(name, builder.start(), log);
    }

    private void readOutput() {
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("ERROR reading the output of " + name + ": " + e);
        }
        lines.add(END);
    }

    /** Returns the child's process id (under {@code taskset}, the JVM's own: {@code taskset} execs it). */
    public long pid() {
        return process.pid();
    }

    /** Sends one command line. */
    public void send(String line) throws IOException {
        input.write(line);
        input.write('\n');
        input.flush();
    }

    /**
     * Sends {@code line} and waits for the answer tagged {@code tag}, ignoring any other: a control exchange such as
     * {@code reset}/{@code OK}.
     *
     * @throws IllegalStateException as {@link #await} does
     */
    public String ask(String line, String tag, long timeoutSeconds) throws IOException, InterruptedException {
        send(line);
        return await(tag, timeoutSeconds, other -> { });
    }

    /**
     * Waits for the next answer tagged {@code tag} and returns it; hands every other answer to {@code others}.
     *
     * @throws IllegalStateException if the child answers {@code ERROR}, ends, or says nothing for
     *                               {@code timeoutSeconds}
     */
    public String await(String tag, long timeoutSeconds, Consumer<String> others) throws InterruptedException {
        while (true) {
            String line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException(name + " said nothing for " + timeoutSeconds + " s (log: " + log + ")");
            }
            if (line.equals(END)) {
                throw new IllegalStateException(name + " ended unexpectedly (log: " + log + ")");
            }
            String lineTag = KeyValueLine.tag(line);
            if (lineTag.equals(tag)) {
                return line;
            }
            if (lineTag.equals("ERROR")) {
                throw new IllegalStateException(name + ": " + line + " (log: " + log + ")");
            }
            others.accept(line);
        }
    }

    /** Asks the child to quit and waits for it; kills it if it does not end in time. */
    @Override
    public void close() throws InterruptedException {
        try {
            send("quit");
            input.close();
        } catch (IOException e) {
            // Already gone: its input is closed, which ends it too.
        }
        if (!process.waitFor(QUIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
