package io.streamgrad.learn.drift;

import java.util.SplittableRandom;

/** Seeded loss streams with a known change point, for the detectors' tests. */
final class Streams {
  private Streams() {}

  /**
   * Gaussian losses, mean {@code before} for the first {@code change} values and {@code after} from
   * then on, standard deviation {@code sd}, clipped at 0 as a loss is.
   */
  static double[] step(long seed, int length, int change, double before, double after, double sd) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] values = new double[length];
    for (int t = 0; t < length; t++) {
      double mean = t < change ? before : after;
      values[t] = Math.max(0.0, mean + sd * gaussian(random));
    }
    return values;
  }

  /** Box-Muller from the seeded generator: the same values on every JVM. */
  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2.0 * Math.PI * v);
  }

  /** The index of every value at which the detector signalled. */
  static java.util.List<Integer> detections(DriftDetector detector, double[] values) {
    java.util.List<Integer> at = new java.util.ArrayList<>();
    for (int t = 0; t < values.length; t++) {
      if (detector.add(values[t])) {
        at.add(t);
      }
    }
    return at;
  }
}
