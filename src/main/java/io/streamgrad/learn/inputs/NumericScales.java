package io.streamgrad.learn.inputs;

import java.util.List;

/**
 * The running moments of a learner's numeric inputs, one column per input (count, mean, M2,
 * minimum, maximum: {@link RunningMoments}'s Welford update, the same operations in the same order,
 * so the same bits), and per input the shift and divisor that scale a raw value by them: {@code (v
 * - shift) / divisor}, or 0 while the divisor is not positive (no spread seen yet, or an empty
 * range). Why columns: the square root and the divisions of a standard deviation were paid per
 * input and per sample, one input after the other; over arrays, a sample of only numeric inputs is
 * scaled and taken in by loops the JIT vectorises. Bit for bit {@link RunningMoments#standardize}
 * and {@link RunningMoments#minMax} (NumericScalesTest). Not thread-safe.
 */
final class NumericScales {
  /** Per input its scale, null for an input that is not numeric. */
  private final InputSpec.Scale[] scales;

  /** True when every input is numeric and standard-scaled: the vector path of {@link #addAll}. */
  private final boolean allStandard;

  // Counts as doubles: exact to 2^53, and the division by the count converts it anyway.
  private final double[] count;
  private final double[] mean;
  private final double[] m2;

  /** The extremes; +Infinity and -Infinity before the first value (read as 0 in the state). */
  private final double[] min;

  private final double[] max;

  private final double[] shift;
  private final double[] divisor;

  NumericScales(List<InputSpec> inputs) {
    int n = inputs.size();
    scales = new InputSpec.Scale[n];
    count = new double[n];
    mean = new double[n];
    m2 = new double[n];
    min = new double[n];
    max = new double[n];
    shift = new double[n];
    divisor = new double[n];
    boolean standard = true;
    for (int i = 0; i < n; i++) {
      InputSpec input = inputs.get(i);
      if (input.type() == InputSpec.Type.NUMERIC) {
        scales[i] = input.scale();
        min[i] = Double.POSITIVE_INFINITY;
        max[i] = Double.NEGATIVE_INFINITY;
        refresh(i);
      }
      standard &=
          input.type() == InputSpec.Type.NUMERIC && input.scale() == InputSpec.Scale.STANDARD;
    }
    allStandard = standard;
  }

  /** Takes the value x of the numeric input i in. */
  void add(int i, double x) {
    double c = count[i] + 1.0;
    double delta = x - mean[i];
    double m = mean[i] + delta / c;
    count[i] = c;
    mean[i] = m;
    m2[i] += delta * (x - m);
    min[i] = Math.min(min[i], x);
    max[i] = Math.max(max[i], x);
    refresh(i);
  }

  /** {@link #add} of values[i] for each of the first n inputs, all numeric, none missing. */
  void addAll(double[] values, int n) {
    if (!allStandard) {
      for (int i = 0; i < n; i++) {
        add(i, values[i]);
      }
      return;
    }
    // add() and refresh() split into loops of arrays, each one the JIT vectorises.
    for (int i = 0; i < n; i++) {
      double x = values[i];
      double c = count[i] + 1.0;
      double delta = x - mean[i];
      double m = mean[i] + delta / c;
      count[i] = c;
      mean[i] = m;
      m2[i] += delta * (x - m);
    }
    for (int i = 0; i < n; i++) {
      min[i] = Math.min(min[i], values[i]);
      max[i] = Math.max(max[i], values[i]);
    }
    for (int i = 0; i < n; i++) {
      shift[i] = mean[i];
      divisor[i] = Math.sqrt(m2[i] / count[i]);
    }
  }

  /**
   * The i-th input's shift and divisor from its moments. A standard deviation is that of {@link
   * RunningMoments#std}: before two values M2 is 0 (or the count is, and 0 / 0 is NaN), which makes
   * the divisor not positive as its 0 does.
   */
  private void refresh(int i) {
    switch (scales[i]) {
      case STANDARD -> {
        shift[i] = mean[i];
        divisor[i] = Math.sqrt(m2[i] / count[i]);
      }
      case MINMAX -> { // before the first value, -Infinity - Infinity: not positive
        shift[i] = min[i];
        divisor[i] = max[i] - min[i];
      }
      default -> { // (v - 0.0) / 1.0 is v, bit for bit, for every finite v
        shift[i] = 0.0;
        divisor[i] = 1.0;
      }
    }
  }

  /** The running mean of input i (0 before its first value). */
  double mean(int i) {
    return mean[i];
  }

  /** The i-th input's value v scaled. */
  double scaled(int i, double v) {
    return divisor[i] > 0 ? (v - shift[i]) / divisor[i] : 0.0;
  }

  /**
   * x[i] = scaled(i, values[i]) for the first n inputs, all numeric: one loop over arrays (the
   * JIT's vector division), then the inputs whose divisor is not positive set to 0.
   */
  void scaleAll(double[] values, double[] x, int n) {
    for (int i = 0; i < n; i++) {
      x[i] = (values[i] - shift[i]) / divisor[i];
    }
    for (int i = 0; i < n; i++) {
      if (!(divisor[i] > 0)) {
        x[i] = 0.0;
      }
    }
  }

  /** Input i's statistics into state[at, at + 5): count, mean, M2, minimum and maximum. */
  void writeTo(int i, double[] state, int at) {
    boolean none = count[i] == 0;
    state[at] = count[i];
    state[at + 1] = mean[i];
    state[at + 2] = m2[i];
    state[at + 3] = none ? 0.0 : min[i];
    state[at + 4] = none ? 0.0 : max[i];
  }

  /** The statistics of {@link #writeTo} back into input i. */
  void readFrom(int i, double[] state, int at) {
    count[i] = (double) (long) state[at]; // a whole count, as RunningMoments reads it
    mean[i] = state[at + 1];
    m2[i] = state[at + 2];
    boolean none = count[i] == 0;
    min[i] = none ? Double.POSITIVE_INFINITY : state[at + 3];
    max[i] = none ? Double.NEGATIVE_INFINITY : state[at + 4];
    refresh(i);
  }
}
