package io.streamgrad.nn;

/**
 * What an optimizer has learned while running: its step count and up to two buffers shaped like the
 * parameters' segments (SGD: the momentum buffer; Adam: the first and second moments). Buffers are
 * created on first use, so plain SGD carries none.
 */
public final class OptimizerState {
  private long steps;
  private double[][] first;
  private double[][] second;

  public OptimizerState() {}

  /** A restored state; buffers (in segment order) may be null when never needed. */
  public OptimizerState(long steps, double[][] first, double[][] second) {
    this.steps = steps;
    this.first = first;
    this.second = second;
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
    if (second == null) {
      second = zerosLike(shape);
    }
    return second;
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
}
