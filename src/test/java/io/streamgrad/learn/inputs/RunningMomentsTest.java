package io.streamgrad.learn.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RunningMomentsTest {
  /** Salaries: large values close together, where a sum of squares loses its digits. */
  private static double[] values(int n) {
    Random random = new Random(7);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = 1e6 + 5e4 * random.nextGaussian();
    }
    return x;
  }

  @Test
  void shouldMatchTheTwoPassMeanAndVarianceWithin1e12() {
    double[] x = values(10_000);
    RunningMoments moments = new RunningMoments();
    for (double v : x) {
      moments.add(v);
    }
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double squares = 0;
    for (double v : x) {
      squares += (v - mean) * (v - mean);
    }
    double variance = squares / x.length;
    assertEquals(0, Math.abs(moments.mean - mean) / Math.abs(mean), 1e-12);
    assertEquals(0, Math.abs(moments.variance() - variance) / variance, 1e-12);
    assertEquals(x.length, moments.count);
  }

  @Test
  void shouldKeepTheMinimumAndMaximumSeen() {
    RunningMoments moments = new RunningMoments();
    for (double v : new double[] {3, -2, 7, 1}) {
      moments.add(v);
    }
    assertEquals(-2, moments.min);
    assertEquals(7, moments.max);
  }

  @Test
  void shouldStandardizeToZeroBeforeTwoValues() {
    RunningMoments moments = new RunningMoments();
    assertEquals(0.0, moments.standardize(50_000));
    moments.add(40_000);
    assertEquals(0.0, moments.standardize(50_000));
  }

  @Test
  void shouldStandardizeWithThePopulationStandardDeviation() {
    RunningMoments moments = new RunningMoments();
    moments.add(1);
    moments.add(3);
    assertEquals((4 - 2) / 1.0, moments.standardize(4), 0.0);
  }

  @Test
  void shouldScaleMinMaxWithoutClippingANewExtreme() {
    RunningMoments moments = new RunningMoments();
    moments.add(10);
    moments.add(20);
    assertEquals(0.5, moments.minMax(15), 0.0);
    assertEquals(2.0, moments.minMax(30), 0.0);
  }

  @Test
  void shouldRestoreEveryBitFromItsState() {
    RunningMoments moments = new RunningMoments();
    for (double v : values(100)) {
      moments.add(v);
    }
    double[] state = new double[RunningMoments.SIZE];
    moments.writeTo(state, 0);
    RunningMoments restored = new RunningMoments();
    restored.readFrom(state, 0);
    restored.add(1.5e6);
    moments.add(1.5e6);
    assertEquals(
        Double.doubleToRawLongBits(moments.mean), Double.doubleToRawLongBits(restored.mean));
    assertEquals(Double.doubleToRawLongBits(moments.m2), Double.doubleToRawLongBits(restored.m2));
  }
}
