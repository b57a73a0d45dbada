package io.streamgrad.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the plain hand-written loop that is the kernel's yardstick ({@link HandLoopBaseline}). Its
 * sizes are JIT constants, set per JVM: 3-4-2 unless {@code -jvmArgsAppend
 * -Dstreamgrad.handloop.size=IN-HIDDEN-OUT} says otherwise. Run beside {@link KernelBenchmark}:
 * {@code ops/jmh.sh 'KernelBenchmark|HandLoopBenchmark' -p size=3-4-2}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = "-Dstreamgrad.handloop.size=3-4-2")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HandLoopBenchmark {
  private HandLoopBaseline loop;

  @Setup
  public void setUp() {
    loop = new HandLoopBaseline(System.getProperty("streamgrad.handloop.size"));
  }

  @Benchmark
  public double sgdStep() {
    return loop.step();
  }
}
