package io.streamgrad.nn;

import java.util.Arrays;

/**
 * A multi-layer perceptron: dense layers a_l = W_l·x_l + b_l, x_{l+1} = f_l(a_l).
 *
 * <p>{@link #forward} keeps every layer's input and pre-activation so that {@link #backward} can
 * run the chain rule from the loss back to every layer's delta (dL/da_l), re-using each layer's
 * delta for the one below it (the lecture's "already computed, re-use"). The gradient of W_l is
 * the outer product delta_l ⊗ x_l and that of b_l is delta_l: it is never materialised unless an
 * optimizer needs it ({@link #addGradient}); plain SGD applies it in place ({@link #descend}).
 * Nothing here allocates after construction.
 *
 * <p>Weights are kept by column (see {@link ParameterLayout}): the forward pass adds x_i times
 * column i into a, and the SGD update subtracts rate·x_i·delta from column i. Both are loops over
 * one array with one index, which HotSpot turns into vector instructions. Every sum runs in a fixed
 * order (bias, then inputs 0, 1, ...), so the same inputs always give the same bits.
 *
 * <p>Not thread-safe: one Mlp belongs to one learner.
 */
public final class Mlp {
  private final Architecture architecture;
  private final ParameterLayout layout;
  private final int layers;
  private final int[] ins;
  private final int[] outs;
  private final Activation[] activations;
  /** columns[l][i][j]: the weight from input i to neuron j of a wide layer l (null for a narrow one). */
  private final double[][][] columns;
  /**
   * rows[l][j][i]: the same weight for a narrow layer (null for a wide one): a vector loop over a
   * column of one to seven values costs more to set up than it saves. Both layouts apply the same
   * operations to each weight in the same order, so they give the same bits.
   */
  private final double[][][] rows;
  private final double[][] biases;
  /** All parameter arrays in segment order (the same arrays as columns and biases). */
  private final double[][] segments;
  private final double[][] preActivations;
  private final double[][] outputs;
  private final double[][] deltas;
  private double[] input;

  /** A network starting from parameters in canonical order (copied). */
  public Mlp(Architecture architecture, double[] canonicalParameters) {
    this.architecture = architecture;
    this.layout = new ParameterLayout(architecture);
    this.segments = layout.toSegments(canonicalParameters);
    this.layers = architecture.layers().size();
    this.ins = new int[layers];
    this.outs = new int[layers];
    this.activations = new Activation[layers];
    this.columns = new double[layers][][];
    this.rows = new double[layers][][];
    this.biases = new double[layers][];
    this.preActivations = new double[layers][];
    this.outputs = new double[layers][];
    this.deltas = new double[layers][];
    int s = 0;
    for (int l = 0; l < layers; l++) {
      LayerShape layer = architecture.layers().get(l);
      ins[l] = layer.in();
      outs[l] = layer.out();
      activations[l] = layer.activation();
      int weightSegments = ParameterLayout.byRow(layer) ? layer.out() : layer.in();
      if (ParameterLayout.byRow(layer)) {
        rows[l] = Arrays.copyOfRange(segments, s, s + weightSegments);
      } else {
        columns[l] = Arrays.copyOfRange(segments, s, s + weightSegments);
      }
      biases[l] = segments[s + weightSegments];
      s += weightSegments + 1;
      preActivations[l] = new double[layer.out()];
      outputs[l] = new double[layer.out()];
      deltas[l] = new double[layer.out()];
    }
  }

  public Architecture architecture() {
    return architecture;
  }

  public ParameterLayout layout() {
    return layout;
  }

  /** The live parameter arrays in segment order, for optimizers. */
  public double[][] segments() {
    return segments;
  }

  /** A copy of the parameters in canonical order (the model file's). */
  public double[] canonicalParameters() {
    return layout.toCanonical(segments);
  }

  /** Canonical parameter k. */
  public double parameter(int k) {
    long at = layout.locate(k);
    return segments[(int) (at >>> 32)][(int) at];
  }

  public void setParameter(int k, double value) {
    long at = layout.locate(k);
    segments[(int) (at >>> 32)][(int) at] = value;
  }

  /**
   * Runs the network on x and returns its output (an internal buffer, overwritten by the next
   * call). x is kept, not copied, until {@link #backward} has used it.
   */
  public double[] forward(double[] x) {
    input = x;
    double[] in = x;
    for (int l = 0; l < layers; l++) {
      denseForward(l, in, preActivations[l]);
      activations[l].apply(preActivations[l], outputs[l], outs[l]);
      in = outputs[l];
    }
    return outputs[layers - 1];
  }

  /** a = b + Σ_i x_i·W[:, i], column by column. */
  private void denseForward(int l, double[] x, double[] a) {
    final int m = outs[l];
    final double[] b = biases[l];
    if (rows[l] != null) {
      for (int j = 0; j < m; j++) {
        final double[] w = rows[l][j];
        double sum = b[j];
        for (int i = 0, n = ins[l]; i < n; i++) {
          sum += w[i] * x[i];
        }
        a[j] = sum;
      }
      return;
    }
    final double[][] cols = columns[l];
    System.arraycopy(b, 0, a, 0, m);
    for (int i = 0, n = ins[l]; i < n; i++) {
      final double xi = x[i];
      final double[] c = cols[i];
      for (int j = 0; j < m; j++) {
        a[j] += c[j] * xi;
      }
    }
  }

  /** The output layer's pre-activations (logits) of the last forward pass. */
  public double[] logits() {
    return preActivations[layers - 1];
  }

  /** The loss of the last forward pass against target. */
  public double loss(double[] target) {
    return architecture.loss().value(outputs[layers - 1], preActivations[layers - 1], target);
  }

  /** Backpropagates the loss of the last forward pass against target into every layer's delta. */
  public void backward(double[] target) {
    int last = layers - 1;
    architecture.loss().outputDelta(
        activations[last], outputs[last], preActivations[last], target, deltas[last], outs[last]);
    for (int l = last; l > 0; l--) {
      // below_i = Σ_j W[j][i]·delta_j = column i · delta
      double[] below = deltas[l - 1];
      double[] delta = deltas[l];
      double[][] cols = columns[l];
      int m = outs[l];
      int n = ins[l];
      if (rows[l] != null) {
        // Neuron outside, input inside: the same sums in the same order as below.
        Arrays.fill(below, 0, n, 0.0);
        for (int j = 0; j < m; j++) {
          double d = delta[j];
          double[] w = rows[l][j];
          for (int i = 0; i < n; i++) {
            below[i] += w[i] * d;
          }
        }
      } else {
        for (int i = 0; i < n; i++) {
          double[] c = cols[i];
          double sum = 0.0;
          for (int j = 0; j < m; j++) {
            sum += c[j] * delta[j];
          }
          below[i] = sum;
        }
      }
      activations[l - 1].backpropagate(preActivations[l - 1], outputs[l - 1], below, outs[l - 1]);
    }
  }

  private double[] layerInput(int l) {
    return l == 0 ? input : outputs[l - 1];
  }

  /**
   * The squared Euclidean norm of the whole gradient of the last backward pass, without building
   * it: ‖delta ⊗ x‖² = ‖delta‖²·‖x‖², plus ‖delta‖² for the biases. Not finite exactly when some
   * gradient entry is not finite (or the sum overflows).
   */
  public double gradientNormSquared() {
    double sum = 0.0;
    for (int l = 0; l < layers; l++) {
      sum += squaredNorm(deltas[l], outs[l]) * (squaredNorm(layerInput(l), ins[l]) + 1.0);
    }
    return sum;
  }

  /** Σ v_i², four partial sums in a fixed order: a quarter of the dependency chain, the same bits always. */
  private static double squaredNorm(double[] v, int n) {
    if (n < 8) {
      double sum = 0.0; // too short for partial sums to pay
      for (int i = 0; i < n; i++) {
        sum += v[i] * v[i];
      }
      return sum;
    }
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int i = 0;
    for (int blocked = n & ~3; i < blocked; i += 4) {
      s0 += v[i] * v[i];
      s1 += v[i + 1] * v[i + 1];
      s2 += v[i + 2] * v[i + 2];
      s3 += v[i + 3] * v[i + 3];
    }
    for (; i < n; i++) {
      s0 += v[i] * v[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** grad += the gradient of the last backward pass, grad in segment order. */
  public void addGradient(double[][] grad) {
    int s = 0;
    for (int l = 0; l < layers; l++) {
      double[] x = layerInput(l);
      double[] delta = deltas[l];
      int m = outs[l];
      int n = ins[l];
      if (rows[l] != null) {
        for (int j = 0; j < m; j++, s++) {
          double d = delta[j];
          double[] g = grad[s];
          for (int i = 0; i < n; i++) {
            g[i] += d * x[i];
          }
        }
      } else {
        for (int i = 0; i < n; i++, s++) {
          double xi = x[i];
          double[] g = grad[s];
          for (int j = 0; j < m; j++) {
            g[j] += delta[j] * xi;
          }
        }
      }
      double[] g = grad[s++];
      for (int j = 0; j < m; j++) {
        g[j] += delta[j];
      }
    }
  }

  /** grad += the gradient of the last backward pass, grad in canonical order (for checks). */
  public void addCanonicalGradient(double[] grad) {
    double[][] segmentGrad = layout.newSegments();
    addGradient(segmentGrad);
    double[] canonical = layout.toCanonical(segmentGrad);
    for (int k = 0; k < grad.length; k++) {
      grad[k] += canonical[k];
    }
  }

  /**
   * One plain gradient-descent step θ ← θ − rate·∇θ with the gradient of the last backward pass,
   * applied in place without materialising the gradient.
   */
  public void descend(double rate) {
    for (int l = 0; l < layers; l++) {
      double[] x = layerInput(l);
      double[] delta = deltas[l];
      double[][] cols = columns[l];
      int m = outs[l];
      if (rows[l] != null) {
        for (int j = 0; j < m; j++) {
          double d = delta[j];
          double[] w = rows[l][j];
          for (int i = 0, n = ins[l]; i < n; i++) {
            w[i] -= rate * (d * x[i]);
          }
        }
      } else {
        for (int i = 0, n = ins[l]; i < n; i++) {
          double xi = x[i];
          double[] c = cols[i];
          for (int j = 0; j < m; j++) {
            c[j] -= rate * (delta[j] * xi);
          }
        }
      }
      double[] b = biases[l];
      for (int j = 0; j < m; j++) {
        b[j] -= rate * delta[j];
      }
    }
  }

  /** max |θ_k| over every parameter, or NaN when some θ_k is NaN. */
  public double maxAbsParameter() {
    return maxAbs(segments);
  }

  static double maxAbs(double[][] segments) {
    double max = 0.0;
    for (double[] segment : segments) {
      for (double v : segment) {
        double a = Math.abs(v);
        if (!(a <= max)) {
          if (Double.isNaN(a)) {
            return Double.NaN;
          }
          max = a;
        }
      }
    }
    return max;
  }
}
