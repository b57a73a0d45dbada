package io.streamgrad.nn;

/**
 * What an optimizer has learned while running: its step count and up to three buffers shaped like
 * the parameters' segments (SGD: the momentum buffer; Adam and AdamW: the first and second moments;
 * RMSprop: momentum buffer, mean square, mean gradient; Adagrad: the sum of squares as the second).
 * Buffers are created on first use, so plain SGD carries none.
 */
public final class OptimizerState {
  private long steps;
  private double[][] first;
  private double[][] second;
  private double[][] third;

  public OptimizerState() {}

  /** A restored state; buffers (in segment order) may be null when never needed. */
  public OptimizerState(long steps, double[][] first, double[][] second) {
    this(steps, first, second, null);
  }

  /** A restored state with a third buffer (RMSprop's mean gradient). */
  public OptimizerState(long steps, double[][] first, double[][] second, double[][] third) {
    this.steps = steps;
    this.first = first;
    this.second = second;
    this.third = third;
  }

  public long steps() {
    return steps;
  }

  void advance() {
    steps++;
  }

  double[][] first(double[][] shape) {
    if (first == null) {
      first = zerosLike(shape);
    }
    return first;
  }

  double[][] second(double[][] shape) {
    return second(shape, 0.0);
  }

  /** The second buffer, created filled with initial (Adagrad's initial accumulator value). */
  double[][] second(double[][] shape, double initial) {
    if (second == null) {
      second = zerosLike(shape);
      if (initial != 0.0) {
        ParameterLayout.fill(second, initial);
      }
    }
    return second;
  }

  double[][] third(double[][] shape) {
    if (third == null) {
      third = zerosLike(shape);
    }
    return third;
  }

  private static double[][] zerosLike(double[][] shape) {
    double[][] zeros = new double[shape.length][];
    for (int s = 0; s < shape.length; s++) {
      zeros[s] = new double[shape[s].length];
    }
    return zeros;
  }

  /** Makes target an exact copy of this state, re-using target's buffers where it can. */
  void copyInto(OptimizerState target) {
    target.steps = steps;
    target.first = copy(first, target.first);
    target.second = copy(second, target.second);
    target.third = copy(third, target.third);
  }

  private static double[][] copy(double[][] from, double[][] into) {
    if (from == null) {
      return null;
    }
    if (into == null) {
      return ParameterLayout.copy(from);
    }
    ParameterLayout.copyInto(from, into);
    return into;
  }

  /** A deep copy. */
  public OptimizerState copy() {
    OptimizerState copy = new OptimizerState();
    copyInto(copy);
    return copy;
  }

  /** The first buffer (segment order) or null; live, for codecs. */
  public double[][] firstOrNull() {
    return first;
  }

  public double[][] secondOrNull() {
    return second;
  }

  public double[][] thirdOrNull() {
    return third;
  }
}
