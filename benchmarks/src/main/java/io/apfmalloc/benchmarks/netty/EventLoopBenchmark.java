package io.apfmalloc.benchmarks.netty;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every shape of this package runs with, inherited by JMH from this class: throughput in operations per
 * second, two warm-up and three measured iterations of a second, one fork whose benchmark threads are Netty event
 * loops ({@link EventLoopExecutor}). The allocator under test is the {@link AllocatorUnderTest} state each
 * benchmark method takes; {@link NettyAllocatorComparison} overrides the iterations for its rounds.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {EventLoopExecutor.EXECUTOR_TYPE, EventLoopExecutor.EXECUTOR_CLASS,
    EventLoopExecutor.NATIVE_ACCESS, EventLoopExecutor.HEAP})
public abstract class EventLoopBenchmark {
}
