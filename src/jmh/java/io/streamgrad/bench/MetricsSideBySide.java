package io.streamgrad.bench;

import io.streamgrad.learn.Learner;
import io.streamgrad.learn.Sample;
import java.util.Arrays;
import java.util.Locale;

/**
 * The learner step with the quality metrics on and off, in one JVM, taking turns in 0.1 s slices
 * (as {@code bench kernel --baseline} does for the kernel): on a shared machine the ratio of two
 * rates measured side by side is far steadier than two JMH runs minutes apart (BENCHMARKS.md, "How
 * to measure on this machine"). Both learners run through the same call sites, so the JIT sees both
 * kinds of statistics, as a service with models of both settings would.
 *
 * <p>Run: {@code java -cp "target/test-classes:target/classes:$(cat target/jmh-classpath.txt)"
 * io.streamgrad.bench.MetricsSideBySide 8-32-1,8-32-1:bce,64-64-10 20} (after {@code ops/jmh.sh -l}
 * has built the classpath); prints per model "MODEL OFF/ON ON_RATE OFF_RATE", medians over the
 * slice pairs.
 */
public final class MetricsSideBySide {
  private static final long SLICE_NANOS = 100_000_000L;

  private MetricsSideBySide() {}

  public static void main(String[] args) {
    double seconds = Double.parseDouble(args[1]);
    for (String model : args[0].split(",")) {
      measure(model, seconds);
    }
  }

  private static void measure(String model, double seconds) {
    Stepper on = new Stepper(model, true);
    Stepper off = new Stepper(model, false);
    int pairs = Math.max(5, (int) (seconds * 1e9 / (2 * SLICE_NANOS)));
    for (int p = 0; p < pairs / 2; p++) {
      slice(on);
      slice(off);
    }
    double[] onRates = new double[pairs];
    double[] offRates = new double[pairs];
    double[] ratios = new double[pairs];
    for (int p = 0; p < pairs; p++) {
      // which one goes first alternates, so neither always follows the other
      if (p % 2 == 0) {
        onRates[p] = slice(on);
        offRates[p] = slice(off);
      } else {
        offRates[p] = slice(off);
        onRates[p] = slice(on);
      }
      ratios[p] = offRates[p] / onRates[p];
    }
    System.out.printf(
        Locale.ROOT,
        "%s %.3f %.0f %.0f%n",
        model,
        median(ratios),
        median(onRates),
        median(offRates));
  }

  /** Steps per second over one slice. */
  private static double slice(Stepper stepper) {
    long steps = 0;
    long start = System.nanoTime();
    long now;
    do {
      stepper.steps(256);
      steps += 256;
      now = System.nanoTime();
    } while (now - start < SLICE_NANOS);
    return steps / ((now - start) / 1e9);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** One learner of MetricsCostBenchmark's specs, and its samples. */
  private static final class Stepper {
    private final Learner learner;
    private final Sample[] samples;
    private int next;

    Stepper(String model, boolean metrics) {
      MetricsCostBenchmark spec = new MetricsCostBenchmark();
      spec.model = model;
      spec.metrics = metrics;
      spec.setUp();
      this.learner = spec.learner();
      this.samples = spec.samples();
    }

    void steps(int n) {
      for (int i = 0; i < n; i++) {
        learner.learn(samples[next++ & 63]);
      }
    }
  }
}
