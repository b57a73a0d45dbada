package io.streamgrad.nn;

/**
 * What an optimizer has learned while running: its step count and up to two buffers the size of
 * the parameters (SGD: the momentum buffer; Adam: the first and second moments). Buffers are
 * created on first use, so plain SGD carries none.
 */
public final class OptimizerState {
  private long steps;
  private double[] first;
  private double[] second;

  public OptimizerState() {}

  /** A restored state; buffers may be null when the optimizer never needed them. */
  public OptimizerState(long steps, double[] first, double[] second) {
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

  double[] first(int size) {
    if (first == null) {
      first = new double[size];
    }
    return first;
  }

  double[] second(int size) {
    if (second == null) {
      second = new double[size];
    }
    return second;
  }

  /** Makes target an exact copy of this state, re-using target's buffers where it can. */
  void copyInto(OptimizerState target) {
    target.steps = steps;
    target.first = copy(first, target.first);
    target.second = copy(second, target.second);
  }

  private static double[] copy(double[] from, double[] into) {
    if (from == null) {
      return null;
    }
    if (into == null || into.length != from.length) {
      return from.clone();
    }
    System.arraycopy(from, 0, into, 0, from.length);
    return into;
  }

  /** The first buffer or null; live, for codecs. */
  public double[] firstOrNull() {
    return first;
  }

  public double[] secondOrNull() {
    return second;
  }
}
