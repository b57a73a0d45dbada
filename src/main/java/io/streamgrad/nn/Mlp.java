package io.streamgrad.nn;

/**
 * A multi-layer perceptron over one flat {@code double[]} of parameters: for each layer l its
 * weights W_l row-major ({@code W[j][i]}, from input i to neuron j, as torch.nn.Linear.weight),
 * then its biases b_l.
 *
 * <p>{@link #forward} computes a_l = W_l·x_l + b_l and x_{l+1} = f_l(a_l) and keeps both, so that
 * {@link #backward} can run the chain rule from the loss back to every layer's delta (dL/da_l),
 * re-using each layer's delta for the one below it (the lecture's "already computed, re-use").
 * The gradient of W_l is then the outer product delta_l ⊗ x_l and that of b_l is delta_l: it is
 * never materialised unless an optimizer needs it ({@link #addGradient}); plain SGD applies it in
 * place ({@link #descend}). Nothing here allocates after construction.
 *
 * <p>Not thread-safe: one Mlp belongs to one learner.
 */
public final class Mlp {
  private final Architecture architecture;
  private final double[] params;
  private final int layers;
  private final int[] ins;
  private final int[] outs;
  private final int[] weightOffsets;
  private final int[] biasOffsets;
  private final Activation[] activations;
  private final double[][] preActivations;
  private final double[][] outputs;
  private final double[][] deltas;
  private double[] input;

  /** A network over the given parameters (taken, not copied); see the class comment for layout. */
  public Mlp(Architecture architecture, double[] params) {
    if (params.length != architecture.parameters()) {
      throw new IllegalArgumentException("expected " + architecture.parameters()
          + " parameters for " + architecture.sizes() + ", got " + params.length);
    }
    this.architecture = architecture;
    this.params = params;
    this.layers = architecture.layers().size();
    this.ins = new int[layers];
    this.outs = new int[layers];
    this.weightOffsets = new int[layers];
    this.biasOffsets = new int[layers];
    this.activations = new Activation[layers];
    this.preActivations = new double[layers][];
    this.outputs = new double[layers][];
    this.deltas = new double[layers][];
    for (int l = 0; l < layers; l++) {
      LayerShape layer = architecture.layers().get(l);
      ins[l] = layer.in();
      outs[l] = layer.out();
      weightOffsets[l] = architecture.weightOffset(l);
      biasOffsets[l] = architecture.biasOffset(l);
      activations[l] = layer.activation();
      preActivations[l] = new double[layer.out()];
      outputs[l] = new double[layer.out()];
      deltas[l] = new double[layer.out()];
    }
  }

  public Architecture architecture() {
    return architecture;
  }

  /** The live parameters; callers outside the training loop must copy before sharing them. */
  public double[] parameters() {
    return params;
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

  /** a = W·x + b for layer l. Four partial sums in a fixed order: fast, and the same bits always. */
  private void denseForward(int l, double[] x, double[] a) {
    final double[] w = params;
    final int n = ins[l];
    final int blocked = n & ~3;
    int row = weightOffsets[l];
    final int bias = biasOffsets[l];
    for (int j = 0, m = outs[l]; j < m; j++, row += n) {
      double s0 = 0.0;
      double s1 = 0.0;
      double s2 = 0.0;
      double s3 = 0.0;
      int i = 0;
      for (; i < blocked; i += 4) {
        s0 += w[row + i] * x[i];
        s1 += w[row + i + 1] * x[i + 1];
        s2 += w[row + i + 2] * x[i + 2];
        s3 += w[row + i + 3] * x[i + 3];
      }
      for (; i < n; i++) {
        s0 += w[row + i] * x[i];
      }
      a[j] = ((s0 + s1) + (s2 + s3)) + w[bias + j];
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
      double[] below = deltas[l - 1];
      java.util.Arrays.fill(below, 0.0);
      double[] delta = deltas[l];
      int n = ins[l];
      int row = weightOffsets[l];
      // below = W_lᵀ·delta_l, row by row so that the inner loop runs over contiguous memory.
      for (int j = 0; j < outs[l]; j++, row += n) {
        double d = delta[j];
        for (int i = 0; i < n; i++) {
          below[i] += params[row + i] * d;
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

  private static double squaredNorm(double[] v, int n) {
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
      sum += v[i] * v[i];
    }
    return sum;
  }

  /** grad += the gradient of the last backward pass (same layout as the parameters). */
  public void addGradient(double[] grad) {
    for (int l = 0; l < layers; l++) {
      double[] x = layerInput(l);
      double[] delta = deltas[l];
      int n = ins[l];
      int row = weightOffsets[l];
      int bias = biasOffsets[l];
      for (int j = 0; j < outs[l]; j++, row += n) {
        double d = delta[j];
        for (int i = 0; i < n; i++) {
          grad[row + i] += d * x[i];
        }
        grad[bias + j] += d;
      }
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
      double[] w = params;
      int n = ins[l];
      int row = weightOffsets[l];
      int bias = biasOffsets[l];
      for (int j = 0; j < outs[l]; j++, row += n) {
        double d = delta[j];
        for (int i = 0; i < n; i++) {
          w[row + i] -= rate * (d * x[i]);
        }
        w[bias + j] -= rate * d;
      }
    }
  }

  /** True when every parameter is a finite number. */
  public boolean isFinite() {
    double probe = 0.0;
    for (double p : params) {
      probe += p * 0.0; // NaN as soon as one p is NaN or infinite
    }
    return probe == 0.0;
  }
}
