package io.streamgrad.nn;

import java.util.Locale;

/**
 * The training losses a model file can name (docs/model-file.md), per sample and summed over
 * outputs, each beside its gradient.
 *
 * <p>A target is a {@code double[]}: one value per output, or for {@code softmax_ce} a single class
 * index. {@link #outputDelta} returns the gradient with respect to the output layer's
 * pre-activation (its logits), going through the activation's derivative where needed; {@code bce}
 * and {@code softmax_ce} take the short, stable route from the logits, as PyTorch's
 * BCEWithLogitsLoss and CrossEntropyLoss do.
 */
public enum Loss {
  L2 {
    @Override
    double value(double[] output, double[] logits, double[] target, int n) {
      double sum = 0.0;
      for (int k = 0; k < n; k++) {
        double d = output[k] - target[k];
        sum += 0.5 * d * d;
      }
      return sum;
    }

    @Override
    void outputGradient(double[] output, double[] logits, double[] target, double[] grad, int n) {
      for (int k = 0; k < n; k++) {
        grad[k] = output[k] - target[k]; // −(y − ŷ), the lecture's gradient
      }
    }
  },
  L1 {
    @Override
    double value(double[] output, double[] logits, double[] target, int n) {
      double sum = 0.0;
      for (int k = 0; k < n; k++) {
        sum += Math.abs(output[k] - target[k]);
      }
      return sum;
    }

    @Override
    void outputGradient(double[] output, double[] logits, double[] target, double[] grad, int n) {
      for (int k = 0; k < n; k++) {
        grad[k] = Math.signum(output[k] - target[k]); // 0 at 0, as torch.sign
      }
    }
  },
  HINGE {
    @Override
    double value(double[] output, double[] logits, double[] target, int n) {
      double sum = 0.0;
      for (int k = 0; k < n; k++) {
        sum += Math.max(0.0, 1.0 - target[k] * output[k]);
      }
      return sum;
    }

    @Override
    void outputGradient(double[] output, double[] logits, double[] target, double[] grad, int n) {
      for (int k = 0; k < n; k++) {
        // Subgradient 0 on the hinge itself, like relu's derivative at 0.
        grad[k] = 1.0 - target[k] * output[k] > 0.0 ? -target[k] : 0.0;
      }
    }
  },
  BCE {
    @Override
    double value(double[] output, double[] logits, double[] target, int n) {
      double sum = 0.0;
      for (int k = 0; k < n; k++) {
        double z = logits[k];
        // max(z, 0) − z·y + log(1 + e^−|z|): never overflows, as BCEWithLogitsLoss.
        sum += Math.max(z, 0.0) - z * target[k] + StrictMath.log1p(Exp.exp(-Math.abs(z)));
      }
      return sum;
    }

    @Override
    void outputGradient(double[] output, double[] logits, double[] target, double[] grad, int n) {
      throw new AssertionError("bce takes its delta from the logits");
    }

    @Override
    public void outputDelta(
        Activation activation,
        double[] output,
        double[] logits,
        double[] target,
        double[] delta,
        int n) {
      for (int k = 0; k < n; k++) {
        delta[k] = output[k] - target[k]; // σ(z) − y
      }
    }
  },
  SOFTMAX_CE {
    @Override
    double value(double[] output, double[] logits, double[] target, int n) {
      // −log softmax_y from the softmax already computed, while that is a normal number; else the
      // stable log-sum-exp of the logits. Equal up to rounding, and the first saves n exp calls.
      double p = output[(int) target[0]];
      if (p >= 1e-250) {
        return -Math.log(p);
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < n; k++) {
        max = Math.max(max, logits[k]);
      }
      double sum = 0.0;
      for (int k = 0; k < n; k++) {
        sum += Exp.exp(logits[k] - max);
      }
      // log Σ e^z − z_y, with the maximum taken out so that exp never overflows.
      return max + Math.log(sum) - logits[(int) target[0]];
    }

    @Override
    void outputGradient(double[] output, double[] logits, double[] target, double[] grad, int n) {
      throw new AssertionError("softmax_ce takes its delta from the logits");
    }

    @Override
    public void outputDelta(
        Activation activation,
        double[] output,
        double[] logits,
        double[] target,
        double[] delta,
        int n) {
      int label = (int) target[0];
      for (int k = 0; k < n; k++) {
        delta[k] = output[k] - (k == label ? 1.0 : 0.0); // softmax(z) − onehot(y)
      }
    }

    @Override
    public int targetLength(int outputs) {
      return 1;
    }
  };

  /** The loss of one sample, summed over the outputs. */
  abstract double value(double[] output, double[] logits, double[] target, int n);

  /** dL/dŷ for the losses that go through the activation's own derivative. */
  abstract void outputGradient(
      double[] output, double[] logits, double[] target, double[] grad, int n);

  /** dL/da for the output layer's pre-activation a (its logits), written into delta. */
  public void outputDelta(
      Activation activation,
      double[] output,
      double[] logits,
      double[] target,
      double[] delta,
      int n) {
    outputGradient(output, logits, target, delta, n);
    activation.backpropagate(logits, output, delta, n);
  }

  public double value(double[] output, double[] logits, double[] target) {
    return value(output, logits, target, output.length);
  }

  /** How many numbers a target holds for a network with this many outputs. */
  public int targetLength(int outputs) {
    return outputs;
  }

  /**
   * Why this target cannot be trained on, or null when it can: a class index outside the outputs, a
   * bce label outside [0, 1], a hinge label that is not ±1, the wrong number of targets.
   */
  public String checkTarget(double[] target, int outputs) {
    int expected = targetLength(outputs);
    if (target.length != expected) {
      return "expected "
          + expected
          + " target value(s) for "
          + fileName()
          + " with "
          + outputs
          + " output(s), got "
          + target.length;
    }
    for (int k = 0; k < target.length; k++) {
      double y = target[k];
      if (!Double.isFinite(y)) {
        return "label value " + y + " is not finite";
      }
      switch (this) {
        case SOFTMAX_CE -> {
          if (y != Math.rint(y) || y < 0 || y >= outputs) {
            return "softmax_ce label must be a class index in 0.." + (outputs - 1) + ", got " + y;
          }
        }
        case BCE -> {
          if (y < 0.0 || y > 1.0) {
            return "bce label must lie in [0, 1], got " + y;
          }
        }
        case HINGE -> {
          if (y != 1.0 && y != -1.0) {
            return "hinge label must be -1 or +1, got " + y;
          }
        }
        default -> {}
      }
    }
    return null;
  }

  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Loss fromFileName(String name) {
    for (Loss loss : values()) {
      if (loss.fileName().equals(name)) {
        return loss;
      }
    }
    throw new IllegalArgumentException(
        "unknown loss '" + name + "'; accepted: l2, l1, hinge, bce, softmax_ce");
  }
}
