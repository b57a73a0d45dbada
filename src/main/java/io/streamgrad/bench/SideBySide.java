package io.streamgrad.bench;

import java.util.Locale;
import java.util.function.IntToDoubleFunction;

/**
 * The nn code and the hand-written loop of one size in one JVM, taking turns in slices of {@link
 * #SLICE_NANOS}: each slice pair sees nearly the same machine, so the ratio of their rates is far
 * steadier on a shared machine than rates from separate runs (BENCHMARKS.md, "How to measure on
 * this machine"). Child-JVM entry of {@code bench kernel --baseline}; the hand loop's sizes come
 * from its system property.
 */
final class SideBySide {
  static final long SLICE_NANOS = 100_000_000L;

  private SideBySide() {}

  /**
   * {@code SideBySide SIZE SECONDS} prints "SIZE RATIO NN_RATE HAND_RATE": medians over the slice
   * pairs.
   */
  public static void main(String[] args) {
    String size = args[0];
    double seconds = Double.parseDouble(args[1]);
    KernelBench nn = new KernelBench(size);
    HandLoopBaseline hand = new HandLoopBaseline(size);
    int pairs = Math.max(5, (int) (seconds * 1e9 / (2 * SLICE_NANOS)));
    double sink = 0;
    for (int p = 0; p < pairs; p++) { // warm-up as long as the measurement
      sink += slice(nn::steps).sink + slice(hand::steps).sink;
    }
    double[] nnRates = new double[pairs];
    double[] handRates = new double[pairs];
    double[] ratios = new double[pairs];
    for (int p = 0; p < pairs; p++) {
      // which one goes first alternates, so neither always follows the other
      Slice a = p % 2 == 0 ? slice(nn::steps) : slice(hand::steps);
      Slice b = p % 2 == 0 ? slice(hand::steps) : slice(nn::steps);
      nnRates[p] = p % 2 == 0 ? a.rate : b.rate;
      handRates[p] = p % 2 == 0 ? b.rate : a.rate;
      ratios[p] = nnRates[p] / handRates[p];
      sink += a.sink + b.sink;
    }
    if (Double.isNaN(sink)) {
      System.err.println("(diverged)");
    }
    System.out.printf(
        Locale.ROOT,
        "%s %.3f %.0f %.0f%n",
        size,
        FormatRounds.median(ratios),
        FormatRounds.median(nnRates),
        FormatRounds.median(handRates));
  }

  private record Slice(double rate, double sink) {}

  /**
   * Runs steps in bursts for one slice; the loop over steps lives in each class, so each stays
   * monomorphic.
   */
  private static Slice slice(IntToDoubleFunction bursts) {
    int burst = 256;
    long steps = 0;
    double sink = 0;
    long start = System.nanoTime();
    long now;
    do {
      sink += bursts.applyAsDouble(burst);
      steps += burst;
      now = System.nanoTime();
    } while (now - start < SLICE_NANOS);
    return new Slice(steps / ((now - start) / 1e9), sink);
  }
}
