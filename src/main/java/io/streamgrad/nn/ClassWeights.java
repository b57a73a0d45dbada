package io.streamgrad.nn;

import java.util.Arrays;

/**
 * The spec's {@code class_weights}, as PyTorch weighs classes. For {@code softmax_ce}, one weight
 * per class (CrossEntropyLoss's {@code weight}): a sample's gradient is multiplied by the weight of
 * its label. For {@code bce}, one weight per output for the positive term (BCEWithLogitsLoss's
 * {@code pos_weight}): the loss becomes −[p·y·log σ(z) + (1 − y)·log(1 − σ(z))], so the weight
 * shapes the gradient itself rather than scaling it.
 */
public final class ClassWeights {
  private final Loss loss;
  private final double[] weights;

  /**
   * @throws IllegalArgumentException naming {@code class_weights} when the loss takes none, the
   *     count is not the network's, or a weight is negative or not finite
   */
  public ClassWeights(double[] weights, Architecture architecture) {
    this.loss = architecture.loss();
    if (loss != Loss.SOFTMAX_CE && loss != Loss.BCE) {
      throw new IllegalArgumentException(
          "class_weights: only softmax_ce (one weight per class) and bce (one pos_weight per"
              + " output) take class weights, not "
              + loss.fileName());
    }
    int expected = architecture.outputs();
    if (weights.length != expected) {
      throw new IllegalArgumentException(
          "class_weights: expected "
              + expected
              + " values (one per "
              + (loss == Loss.SOFTMAX_CE ? "class" : "output")
              + "), got "
              + weights.length);
    }
    for (int k = 0; k < weights.length; k++) {
      if (!(weights[k] >= 0.0) || !Double.isFinite(weights[k])) {
        throw new IllegalArgumentException(
            "class_weights[" + k + "]: expected a finite number >= 0, got " + weights[k]);
      }
    }
    this.weights = weights.clone();
  }

  /** A copy of the weights, in output order. */
  public double[] values() {
    return weights.clone();
  }

  /**
   * The factor a sample's gradient is multiplied by: its label's class weight for softmax_ce, 1 for
   * bce (whose weights are inside the loss, see {@link #outputDelta}).
   */
  double sampleFactor(double[] target) {
    return loss == Loss.SOFTMAX_CE ? weights[(int) target[0]] : 1.0;
  }

  /** True when the weights change the loss's output delta (bce's pos_weight). */
  boolean shapesTheDelta() {
    return loss == Loss.BCE;
  }

  /**
   * dL/dz of BCEWithLogitsLoss with pos_weight p, from the sigmoid's output σ: σ·(p·y + 1 − y) −
   * p·y for each output (σ − y when p = 1).
   */
  void outputDelta(double[] output, double[] target, double[] delta, int n) {
    for (int k = 0; k < n; k++) {
      double py = weights[k] * target[k];
      delta[k] = output[k] * (py + 1.0 - target[k]) - py;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassWeights other
        && loss == other.loss
        && Arrays.equals(weights, other.weights);
  }

  @Override
  public int hashCode() {
    return 31 * loss.hashCode() + Arrays.hashCode(weights);
  }
}
