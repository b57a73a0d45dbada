package io.streamgrad.nn;

import java.util.Arrays;

/**
 * A multi-layer perceptron: dense layers a_l = W_l·x_l + b_l, x_{l+1} = f_l(a_l).
 *
 * <p>{@link #forward} keeps every layer's input and pre-activation so that {@link #backward} can
 * run the chain rule from the loss back to every layer's delta (dL/da_l), re-using each layer's
 * delta for the one below it (the lecture's "already computed, re-use"). The gradient of W_l is the
 * outer product delta_l ⊗ x_l and that of b_l is delta_l: it is never materialised unless an
 * optimizer needs it ({@link #addGradient}); plain SGD applies it in place ({@link #descend}).
 * Nothing here allocates after construction.
 *
 * <p>Wide layers keep their weights by column (see {@link ParameterLayout}): the forward pass adds
 * x_i times column i into a, and the SGD update subtracts rate·x_i·delta from column i. Both are
 * loops over one array with one index, which HotSpot turns into vector instructions. Every sum runs
 * in a fixed order (bias, then inputs 0, 1, ...), so the same inputs always give the same bits.
 *
 * <p>Networks of up to {@link ShapedKernel#MAX_LAYERS} layers run these passes on a copy of the
 * loops made for their shape ({@link ShapedKernel}), whose sizes the JIT sees as constants: the
 * same operations in the same order, so the same bits, faster on small networks, where loop set-up
 * costs more than the arithmetic (BENCHMARKS.md, "Kernel").
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

  /**
   * columns[l][i][j]: the weight from input i to neuron j of a wide layer l (null for a narrow
   * one).
   */
  private final double[][][] columns;

  /**
   * rows[l][j·in + i]: the same weight for a narrow layer, W row-major in one array (null for a
   * wide one): a vector loop over a column of one to seven values costs more to set up than it
   * saves. Both layouts apply the same operations to each weight in the same order, so they give
   * the same bits.
   */
  private final double[][] rows;

  private final double[][] biases;

  /** All parameter arrays in segment order (the same arrays as columns and biases). */
  private final double[][] segments;

  private final double[][] preActivations;
  private final double[][] outputs;
  private final double[][] deltas;

  /**
   * A copy of the input of the last forward pass: the caller may re-use its array at once, and no
   * reference to it is stored per sample (a store that costs a GC write barrier).
   */
  private final double[] input;

  /** The passes made for this network's shape, or null for the generic loops below. */
  private final Kernel kernel;

  /** A network starting from parameters in canonical order (copied). */
  public Mlp(Architecture architecture, double[] canonicalParameters) {
    this(architecture, canonicalParameters, ShapedKernels.supports(architecture));
  }

  /** As above, on loops made for the shape or on the generic ones (tests compare the two). */
  Mlp(Architecture architecture, double[] canonicalParameters, boolean shaped) {
    this.architecture = architecture;
    this.layout = new ParameterLayout(architecture);
    this.segments = layout.toSegments(canonicalParameters);
    this.layers = architecture.layers().size();
    this.ins = new int[layers];
    this.outs = new int[layers];
    this.activations = new Activation[layers];
    this.columns = new double[layers][][];
    this.rows = new double[layers][];
    this.biases = new double[layers][];
    this.preActivations = new double[layers][];
    this.outputs = new double[layers][];
    this.deltas = new double[layers][];
    this.input = new double[architecture.inputs()];
    int s = 0;
    for (int l = 0; l < layers; l++) {
      LayerShape layer = architecture.layers().get(l);
      ins[l] = layer.in();
      outs[l] = layer.out();
      activations[l] = layer.activation();
      int weightSegments = ParameterLayout.weightSegments(layer);
      if (ParameterLayout.byRow(layer)) {
        rows[l] = segments[s];
      } else {
        columns[l] = Arrays.copyOfRange(segments, s, s + weightSegments);
      }
      biases[l] = segments[s + weightSegments];
      s += weightSegments + 1;
      preActivations[l] = new double[layer.out()];
      outputs[l] = new double[layer.out()];
      deltas[l] = new double[layer.out()];
    }
    this.kernel =
        shaped
            ? ShapedKernels.create(
                architecture, input, rows, columns, biases, preActivations, outputs, deltas)
            : null;
  }

  /** True when this network runs on loops made for its shape (see {@link ShapedKernel}). */
  public boolean isShaped() {
    return kernel != null;
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
   * call). x is copied: the caller may change it at once.
   */
  public double[] forward(double[] x) {
    if (kernel != null) {
      kernel.forward(x);
      return outputs[layers - 1];
    }
    System.arraycopy(x, 0, input, 0, input.length);
    double[] in = input;
    for (int l = 0; l < layers; l++) {
      DenseLoops.dense(
          rows[l] != null, rows[l], columns[l], biases[l], in, preActivations[l], ins[l], outs[l]);
      activations[l].apply(preActivations[l], outputs[l], outs[l]);
      in = outputs[l];
    }
    return outputs[layers - 1];
  }

  /** The output layer's pre-activations (logits) of the last forward pass. */
  public double[] logits() {
    return preActivations[layers - 1];
  }

  /** The loss of the last forward pass against target. */
  public double loss(double[] target) {
    if (kernel != null) {
      return kernel.loss(target);
    }
    return architecture.loss().value(outputs[layers - 1], preActivations[layers - 1], target);
  }

  /** Backpropagates the loss of the last forward pass against target into every layer's delta. */
  public void backward(double[] target) {
    if (kernel != null) {
      kernel.backward(target);
      return;
    }
    int last = layers - 1;
    architecture
        .loss()
        .outputDelta(
            activations[last],
            outputs[last],
            preActivations[last],
            target,
            deltas[last],
            outs[last]);
    propagate();
  }

  /**
   * As {@link #backward(double[])} for a weighted sample: the output delta, with bce's pos_weight
   * when weights give it, is multiplied by scale before it goes down, so every layer's gradient is
   * scale times the (pos-weighted) loss's gradient.
   */
  public void backward(double[] target, double scale, ClassWeights weights) {
    int last = layers - 1;
    double[] delta = deltas[last];
    if (weights != null && weights.shapesTheDelta()) {
      weights.outputDelta(outputs[last], target, delta, outs[last]);
    } else {
      architecture
          .loss()
          .outputDelta(
              activations[last], outputs[last], preActivations[last], target, delta, outs[last]);
    }
    if (scale != 1.0) {
      for (int k = 0; k < outs[last]; k++) {
        delta[k] *= scale;
      }
    }
    if (kernel != null) {
      kernel.propagate();
    } else {
      propagate();
    }
  }

  /** The chain rule from the output layer's delta, already in place, down to the first layer's. */
  private void propagate() {
    for (int l = layers - 1; l > 0; l--) {
      // below_i = Σ_j W[j][i]·delta_j, re-using this layer's delta for the one below
      DenseLoops.down(
          rows[l] != null, rows[l], columns[l], deltas[l], deltas[l - 1], ins[l], outs[l]);
      activations[l - 1].backpropagate(
          preActivations[l - 1], outputs[l - 1], deltas[l - 1], outs[l - 1]);
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
    if (kernel != null) {
      return kernel.gradientNormSquared();
    }
    double sum = 0.0;
    for (int l = 0; l < layers; l++) {
      sum +=
          DenseLoops.squaredNorm(deltas[l], outs[l])
              * (DenseLoops.squaredNorm(layerInput(l), ins[l]) + 1.0);
    }
    return sum;
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
        double[] g = grad[s++];
        for (int j = 0, row = 0; j < m; j++, row += n) {
          double d = delta[j];
          for (int i = 0; i < n; i++) {
            g[row + i] += d * x[i];
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
    if (kernel != null) {
      kernel.descend(rate);
      return;
    }
    for (int l = 0; l < layers; l++) {
      DenseLoops.step(
          rows[l] != null,
          rows[l],
          columns[l],
          biases[l],
          layerInput(l),
          deltas[l],
          rate,
          ins[l],
          outs[l]);
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
