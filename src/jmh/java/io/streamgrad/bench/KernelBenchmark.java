package io.streamgrad.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one predict-then-train SGD step of the nn kernel per invocation, one thread, for the sizes
 * of {@code bench kernel}. Run: {@code ops/jmh.sh KernelBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class KernelBenchmark {
  @Param({"3-4-2", "8-32-1", "64-64-10", "784-128-10"})
  public String size;

  private KernelBench kernel;

  @Setup
  public void setUp() {
    kernel = new KernelBench(size);
  }

  @Benchmark
  public double sgdStep() {
    return kernel.step();
  }
}
