package io.streamgrad.learn.inputs;

/**
 * Count, mean, sum of squared deviations (M2), minimum and maximum of the values seen so far,
 * updated one value at a time by Welford's method (Welford 1962; Knuth, TAOCP vol. 2, 4.2.2): no
 * sum of squares that loses every digit when values are large and close, and the same bits for the
 * same values in the same order.
 */
final class RunningMoments {
  static final int SIZE = 5;

  long count;
  double mean;
  double m2;
  double min;
  double max;

  void add(double x) {
    count++;
    double delta = x - mean;
    mean += delta / count;
    m2 += delta * (x - mean);
    if (count == 1) {
      min = x;
      max = x;
    } else {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
  }

  /** The population variance M2 / n, 0 before two values. */
  double variance() {
    return count < 2 ? 0.0 : m2 / count;
  }

  /** The population standard deviation, 0 before two values. */
  double std() {
    return Math.sqrt(variance());
  }

  /**
   * (x - mean) / std, or 0 while the standard deviation is 0 (fewer than two values, or all equal):
   * nothing is known yet of the input's scale, and 0 is its neutral value.
   */
  double standardize(double x) {
    double std = std();
    return std > 0 ? (x - mean) / std : 0.0;
  }

  /** (x - min) / (max - min), or 0 while the range is empty. Not clipped: a new extreme shows. */
  double minMax(double x) {
    double range = max - min;
    return count > 0 && range > 0 ? (x - min) / range : 0.0;
  }

  void writeTo(double[] state, int at) {
    state[at] = count;
    state[at + 1] = mean;
    state[at + 2] = m2;
    state[at + 3] = min;
    state[at + 4] = max;
  }

  void readFrom(double[] state, int at) {
    count = (long) state[at];
    mean = state[at + 1];
    m2 = state[at + 2];
    min = state[at + 3];
    max = state[at + 4];
  }
}
