package io.streamgrad.nn;

import java.util.Locale;

/**
 * The non-linearity f of a dense layer, applied to its pre-activation a = W·x + b.
 *
 * <p>Each activation sits next to its derivative, as in the lecture. Derivatives are taken from the
 * activation's own output where that is cheaper (sigmoid: s(1 − s), tanh: 1 − t²). Softmax is
 * allowed on the output layer only, where its Jacobian is applied as a vector product.
 *
 * <p>e^x comes from {@link Exp} and tanh from {@link StrictMath}, never from {@link Math}: Math may
 * give other bits on another JVM or processor, and a model must train to the same bits everywhere.
 */
public enum Activation {
  IDENTITY {
    @Override
    void apply(double[] a, double[] out, int n) {
      System.arraycopy(a, 0, out, 0, n);
    }

    @Override
    void backpropagate(double[] a, double[] out, double[] grad, int n) {
      // f'(a) = 1: the upstream gradient passes unchanged.
    }

    @Override
    double value(double a) {
      return a;
    }

    @Override
    double backpropagate(double out, double grad) {
      return grad;
    }
  },
  SIGMOID {
    @Override
    void apply(double[] a, double[] out, int n) {
      for (int i = 0; i < n; i++) {
        out[i] = sigmoid(a[i]);
      }
    }

    @Override
    void backpropagate(double[] a, double[] out, double[] grad, int n) {
      for (int i = 0; i < n; i++) {
        double s = out[i];
        grad[i] *= s * (1.0 - s);
      }
    }

    @Override
    double value(double a) {
      return sigmoid(a);
    }

    @Override
    double backpropagate(double out, double grad) {
      return grad * (out * (1.0 - out));
    }
  },
  TANH {
    @Override
    void apply(double[] a, double[] out, int n) {
      for (int i = 0; i < n; i++) {
        out[i] = StrictMath.tanh(a[i]);
      }
    }

    @Override
    void backpropagate(double[] a, double[] out, double[] grad, int n) {
      for (int i = 0; i < n; i++) {
        double t = out[i];
        grad[i] *= 1.0 - t * t;
      }
    }

    @Override
    double value(double a) {
      return StrictMath.tanh(a);
    }

    @Override
    double backpropagate(double out, double grad) {
      return grad * (1.0 - out * out);
    }
  },
  RELU {
    @Override
    void apply(double[] a, double[] out, int n) {
      for (int i = 0; i < n; i++) {
        out[i] = a[i] > 0.0 ? a[i] : 0.0;
      }
    }

    @Override
    void backpropagate(double[] a, double[] out, double[] grad, int n) {
      for (int i = 0; i < n; i++) {
        if (!(out[i] > 0.0)) { // out > 0 exactly when a > 0
          grad[i] = 0.0; // derivative 0 at 0, as torch.relu
        }
      }
    }

    @Override
    double value(double a) {
      return a > 0.0 ? a : 0.0;
    }

    @Override
    double backpropagate(double out, double grad) {
      return out > 0.0 ? grad : 0.0;
    }
  },
  SOFTMAX {
    @Override
    void apply(double[] a, double[] out, int n) {
      if (n == 2) {
        double diff = a[0] - a[1];
        if (Math.abs(diff) <= Double.MAX_VALUE) {
          // Two finite logits a finite distance apart (false for NaN and infinities, which take
          // the path below): min − max is exactly −|a0 − a1| (IEEE subtraction is symmetric), so
          // the same bits as below without the max and min, which are on every step's critical
          // path (the next step's forward pass waits on this one's update).
          twoClasses(Exp.exp(-Math.abs(diff)), diff >= 0.0 ? 0 : 1, out);
          return;
        }
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        max = Math.max(max, a[i]);
      }
      if (n == 2) {
        // The larger logit's term is e^0 = 1 exactly, so two classes need one exp call, not two:
        // the same bits (1 + e = e + 1), 1/6 of the exp calls of the lecture's 3-4-2 network.
        // Infinite and NaN logits give what the loop below gives (SoftmaxTest checks each case).
        double t0 = a[0] - max;
        double t1 = a[1] - max;
        twoClasses(Exp.exp(Math.min(t0, t1)), t0 == 0.0 ? 0 : 1, out);
        return;
      }
      double sum = 0.0;
      for (int i = 0; i < n; i++) {
        out[i] = Exp.exp(a[i] - max);
        sum += out[i];
      }
      for (int i = 0; i < n; i++) {
        out[i] /= sum;
      }
    }

    @Override
    void backpropagate(double[] a, double[] out, double[] grad, int n) {
      // Jacobian-vector product of softmax: g_i ← s_i (g_i − Σ_j g_j s_j).
      double dot = 0.0;
      for (int j = 0; j < n; j++) {
        dot += grad[j] * out[j];
      }
      for (int i = 0; i < n; i++) {
        grad[i] = out[i] * (grad[i] - dot);
      }
    }
  };

  /**
   * f(a), for an element-wise activation (every one but softmax); the same bits as {@link #apply}.
   */
  double value(double a) {
    throw new UnsupportedOperationException(this + " is not element-wise");
  }

  /**
   * grad·f'(a) from out = f(a), for an element-wise activation; the same bits as {@link
   * #backpropagate(double[], double[], double[], int)}. Every element-wise derivative here can be
   * had from the output, so a shaped kernel need not keep a hidden layer's pre-activations.
   */
  double backpropagate(double out, double grad) {
    throw new UnsupportedOperationException(this + " is not element-wise");
  }

  /** True for activations applied to each neuron on its own (all but softmax). */
  boolean isElementWise() {
    return this != SOFTMAX;
  }

  /** out[i] = f(a[i]) for the first n entries; out may be a itself for element-wise functions. */
  abstract void apply(double[] a, double[] out, int n);

  /**
   * Turns grad, the gradient of the loss with respect to this layer's output, into the gradient
   * with respect to its pre-activation a (the chain rule through f). out holds f(a).
   */
  abstract void backpropagate(double[] a, double[] out, double[] grad, int n);

  /**
   * Softmax of two classes from e = e^(min − max) and the index of the larger logit, whose term is
   * 1.
   */
  private static void twoClasses(double e, int top, double[] out) {
    double sum = 1.0 + e;
    out[top] = 1.0 / sum;
    out[1 - top] = e / sum;
  }

  public static double sigmoid(double x) {
    // As torch.sigmoid. No branch on the sign (random signs would mispredict); for x → −∞, exp(−x)
    // = ∞ and
    // the result is exactly 0, so nothing overflows into NaN.
    return 1.0 / (1.0 + Exp.exp(-x));
  }

  /** The name used in model files: lower case. */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a model-file name; throws with the accepted names when it is unknown. */
  public static Activation fromFileName(String name) {
    for (Activation activation : values()) {
      if (activation.fileName().equals(name)) {
        return activation;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '" + name + "'; accepted: identity, sigmoid, tanh, relu, softmax");
  }
}
