package io.streamgrad.nn;

import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandles;

/**
 * The loops of a dense layer (forward, backward, plain-SGD update, squared norm), and the template
 * of a copy of them made for one network shape.
 *
 * <p>Why a template: on a small network the time goes into loop set-up, not arithmetic. A loop
 * over three inputs whose count HotSpot cannot see costs several times more than the same loop with
 * a constant count, which C2 unrolls completely (measured: the plain-SGD update of 3-4-2 takes
 * 50 ns with sizes read from fields, 17 ns with constant sizes). {@link ShapedKernels} therefore
 * defines this class's own bytes again as a hidden class per {@link Architecture}, with the shape
 * as class data: in each copy {@code LAYERS}, {@code IN0}, {@code OUT0}, ... are static finals,
 * which C2 treats as constants, so every size, layout choice, activation and loss below folds
 * away. Each copy runs exactly the operations of {@link Mlp}'s generic path, in the same order: the
 * same bits, faster.
 *
 * <p>Loaded normally (without class data) the class is only the home of the static loops, which
 * {@link Mlp}'s generic path calls with sizes from its fields.
 *
 * <p>Keep this class free of lambdas and nested classes: a hidden copy can only refer to itself.
 */
final class ShapedKernel implements Kernel {
  /** Networks with up to this many layers get a shaped copy. */
  static final int MAX_LAYERS = 4;

  private static final Object[] SHAPE = classData();
  static final int LAYERS = SHAPE == null ? 0 : ((int[]) SHAPE[0]).length;
  static final int IN0 = in(0);
  static final int IN1 = in(1);
  static final int IN2 = in(2);
  static final int IN3 = in(3);
  static final int OUT0 = out(0);
  static final int OUT1 = out(1);
  static final int OUT2 = out(2);
  static final int OUT3 = out(3);
  static final boolean ROW0 = byRow(0);
  static final boolean ROW1 = byRow(1);
  static final boolean ROW2 = byRow(2);
  static final boolean ROW3 = byRow(3);
  static final Activation F0 = activation(0);
  static final Activation F1 = activation(1);
  static final Activation F2 = activation(2);
  static final Activation F3 = activation(3);
  static final Loss LOSS = SHAPE == null ? null : (Loss) SHAPE[4];

  /** The shape as class data: ins, outs, by-row flags, activations, loss. */
  static Object[] classData(Architecture architecture) {
    int layers = architecture.layers().size();
    int[] ins = new int[layers];
    int[] outs = new int[layers];
    boolean[] rows = new boolean[layers];
    Activation[] activations = new Activation[layers];
    for (int l = 0; l < layers; l++) {
      LayerShape layer = architecture.layers().get(l);
      ins[l] = layer.in();
      outs[l] = layer.out();
      rows[l] = ParameterLayout.byRow(layer);
      activations[l] = layer.activation();
    }
    return new Object[] {ins, outs, rows, activations, architecture.loss()};
  }

  private static Object[] classData() {
    try {
      return MethodHandles.classData(MethodHandles.lookup(), ConstantDescs.DEFAULT_NAME, Object[].class);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int in(int l) {
    return l < LAYERS ? ((int[]) SHAPE[0])[l] : 0;
  }

  private static int out(int l) {
    return l < LAYERS ? ((int[]) SHAPE[1])[l] : 0;
  }

  private static boolean byRow(int l) {
    return l < LAYERS && ((boolean[]) SHAPE[2])[l];
  }

  private static Activation activation(int l) {
    return l < LAYERS ? ((Activation[]) SHAPE[3])[l] : null;
  }

  // One field per layer and array, so that every array is one load away.
  private final double[] w0;
  private final double[] w1;
  private final double[] w2;
  private final double[] w3;
  private final double[][] c0;
  private final double[][] c1;
  private final double[][] c2;
  private final double[][] c3;
  private final double[] b0;
  private final double[] b1;
  private final double[] b2;
  private final double[] b3;
  private final double[] a0;
  private final double[] a1;
  private final double[] a2;
  private final double[] a3;
  private final double[] o0;
  private final double[] o1;
  private final double[] o2;
  private final double[] o3;
  private final double[] d0;
  private final double[] d1;
  private final double[] d2;
  private final double[] d3;
  /** The network's own copy of the input of the last forward pass. */
  private final double[] x0;
  /**
   * ‖x_l‖² + 1 for each layer's input x_l of the last forward pass: the factor of that layer in
   * {@link #gradientNormSquared}. Worked out in the forward pass, where the inputs have just been
   * computed and the CPU waits on exp's latency; in the backward pass the same work delayed every
   * training step by 5-8 % at 3-4-2 (measured side by side with the hand-written loop).
   */
  private double inputSquares0;
  private double inputSquares1;
  private double inputSquares2;
  private double inputSquares3;

  /** Works on the network's own arrays, per layer (see {@link Mlp} for what each holds). */
  ShapedKernel(double[] input, double[][] rows, double[][][] columns, double[][] biases,
      double[][] preActivations, double[][] outputs, double[][] deltas) {
    x0 = input;
    w0 = at(rows, 0);
    w1 = at(rows, 1);
    w2 = at(rows, 2);
    w3 = at(rows, 3);
    c0 = at(columns, 0);
    c1 = at(columns, 1);
    c2 = at(columns, 2);
    c3 = at(columns, 3);
    b0 = at(biases, 0);
    b1 = at(biases, 1);
    b2 = at(biases, 2);
    b3 = at(biases, 3);
    a0 = at(preActivations, 0);
    a1 = at(preActivations, 1);
    a2 = at(preActivations, 2);
    a3 = at(preActivations, 3);
    o0 = at(outputs, 0);
    o1 = at(outputs, 1);
    o2 = at(outputs, 2);
    o3 = at(outputs, 3);
    d0 = at(deltas, 0);
    d1 = at(deltas, 1);
    d2 = at(deltas, 2);
    d3 = at(deltas, 3);
  }

  private static double[] at(double[][] perLayer, int l) {
    return l < perLayer.length ? perLayer[l] : null;
  }

  private static double[][] at(double[][][] perLayer, int l) {
    return l < perLayer.length ? perLayer[l] : null;
  }

  @Override
  public void forward(double[] input) {
    inputSquares0 = copy(input, x0, IN0);
    if (LAYERS == 1) {
      outputLayer(ROW0, w0, c0, b0, x0, a0, o0, F0, IN0, OUT0);
      return;
    }
    inputSquares1 = hiddenLayer(ROW0, w0, c0, b0, x0, a0, o0, F0, IN0, OUT0);
    if (LAYERS == 2) {
      outputLayer(ROW1, w1, c1, b1, o0, a1, o1, F1, IN1, OUT1);
      return;
    }
    forwardFromLayer1();
  }

  /** Layers 1 to 3 of a deeper network: a method of its own keeps each small enough to inline. */
  private void forwardFromLayer1() {
    inputSquares2 = hiddenLayer(ROW1, w1, c1, b1, o0, a1, o1, F1, IN1, OUT1);
    if (LAYERS == 3) {
      outputLayer(ROW2, w2, c2, b2, o1, a2, o2, F2, IN2, OUT2);
      return;
    }
    inputSquares3 = hiddenLayer(ROW2, w2, c2, b2, o1, a2, o2, F2, IN2, OUT2);
    outputLayer(ROW3, w3, c3, b3, o2, a3, o3, F3, IN3, OUT3);
  }

  /**
   * Copies the input into the network's own buffer (the caller may re-use its array; a
   * constant-length copy is a few moves) and returns ‖x‖² + 1.
   */
  private static double copy(double[] input, double[] x, int n) {
    for (int i = 0; i < n; i++) {
      x[i] = input[i];
    }
    return squaredNorm(x, n) + 1.0;
  }

  /**
   * a = W·x + b, out = f(a) for a hidden layer; returns ‖out‖² + 1, the next layer's factor in
   * {@link #gradientNormSquared}. A narrow layer does it in one pass and keeps only out (a hidden
   * layer's derivative needs only out): a second store per neuron is enough for C2 not to unroll
   * the loop. Hidden and output layers have separate methods so that neither's compiled code holds
   * the other's: C2 inlines a method it has already compiled on its own only while that code is
   * small (with one method for both, 3-4-2 once ran its forward pass as calls).
   */
  private static double hiddenLayer(boolean byRow, double[] w, double[][] cols, double[] b,
      double[] x, double[] a, double[] out, Activation f, int n, int m) {
    if (byRow) {
      rowHiddenLayer(w, b, x, out, f, n, m);
    } else {
      dense(false, null, cols, b, x, a, n, m);
      f.apply(a, out, m);
    }
    return squaredNorm(out, m) + 1.0;
  }

  /** a = W·x + b, out = f(a) for the output layer, which keeps a (the loss reads the logits). */
  private static void outputLayer(boolean byRow, double[] w, double[][] cols, double[] b,
      double[] x, double[] a, double[] out, Activation f, int n, int m) {
    if (byRow && f.isElementWise()) {
      rowLayer(w, b, x, a, out, f, n, m);
    } else {
      dense(byRow, w, cols, b, x, a, n, m);
      f.apply(a, out, m);
    }
  }

  @Override
  public double loss(double[] target) {
    if (LAYERS == 1) {
      return LOSS.value(o0, a0, target, OUT0);
    } else if (LAYERS == 2) {
      return LOSS.value(o1, a1, target, OUT1);
    } else if (LAYERS == 3) {
      return LOSS.value(o2, a2, target, OUT2);
    }
    return LOSS.value(o3, a3, target, OUT3);
  }

  @Override
  public void backward(double[] target) {
    if (LAYERS == 1) {
      LOSS.outputDelta(F0, o0, a0, target, d0, OUT0);
    } else if (LAYERS == 2) {
      LOSS.outputDelta(F1, o1, a1, target, d1, OUT1);
    } else if (LAYERS == 3) {
      LOSS.outputDelta(F2, o2, a2, target, d2, OUT2);
    } else {
      LOSS.outputDelta(F3, o3, a3, target, d3, OUT3);
    }
    // Every layer below the output has an element-wise activation (softmax is output-only).
    if (LAYERS > 3) {
      downThrough(ROW3, w3, c3, d3, d2, a2, o2, F2, IN3, OUT3);
    }
    if (LAYERS > 2) {
      downThrough(ROW2, w2, c2, d2, d1, a1, o1, F1, IN2, OUT2);
    }
    if (LAYERS > 1) {
      downThrough(ROW1, w1, c1, d1, d0, a0, o0, F0, IN1, OUT1);
    }
  }

  /** below = f'(a_below) ⊙ (Wᵀ·delta): the delta of the layer below, in one pass for a narrow layer. */
  private static void downThrough(boolean byRow, double[] w, double[][] cols, double[] delta,
      double[] below, double[] belowA, double[] belowOut, Activation f, int n, int m) {
    if (byRow) {
      rowDownThrough(w, delta, below, belowOut, f, n, m);
    } else {
      columnDown(cols, delta, below, n, m);
      f.backpropagate(belowA, belowOut, below, n);
    }
  }

  @Override
  public double gradientNormSquared() {
    double sum = squaredNorm(d0, OUT0) * inputSquares0;
    if (LAYERS > 1) {
      sum += squaredNorm(d1, OUT1) * inputSquares1;
    }
    if (LAYERS > 2) {
      sum += squaredNorm(d2, OUT2) * inputSquares2;
    }
    if (LAYERS > 3) {
      sum += squaredNorm(d3, OUT3) * inputSquares3;
    }
    return sum;
  }

  @Override
  public void descend(double rate) {
    step(ROW0, w0, c0, b0, x0, d0, rate, IN0, OUT0);
    if (LAYERS > 1) {
      step(ROW1, w1, c1, b1, o0, d1, rate, IN1, OUT1);
    }
    if (LAYERS > 2) {
      step(ROW2, w2, c2, b2, o1, d2, rate, IN2, OUT2);
    }
    if (LAYERS > 3) {
      step(ROW3, w3, c3, b3, o2, d3, rate, IN3, OUT3);
    }
  }

  // ---- The loops. n inputs, m neurons; a by-row layer has W row-major in w, a by-column layer
  // ---- has column i (the weights from input i) in cols[i]. Fixed summation order: bias, then
  // ---- inputs 0, 1, ...; neurons 0, 1, ... for sums over neurons. The by-row loops are kept
  // ---- small, as separate methods: C2 inlines a method only while its own compiled code is
  // ---- small, and these must be inlined for the shape's constants to reach them.

  /** a = W·x + b. */
  static void dense(boolean byRow, double[] w, double[][] cols, double[] b, double[] x, double[] a,
      int n, int m) {
    if (byRow) {
      rowDense(w, b, x, a, n, m);
    } else {
      columnDense(cols, b, x, a, n, m);
    }
  }

  private static void rowDense(double[] w, double[] b, double[] x, double[] a, int n, int m) {
    if (n <= 4) {
      double x0 = x[0]; // the inputs read once, before any store (see rowStep)
      double x1 = n > 1 ? x[1] : 0.0;
      double x2 = n > 2 ? x[2] : 0.0;
      double x3 = n > 3 ? x[3] : 0.0;
      for (int j = 0, row = 0; j < m; j++, row += n) {
        a[j] = dot(b[j], w, row, n, x0, x1, x2, x3);
      }
      return;
    }
    for (int j = 0, row = 0; j < m; j++, row += n) {
      double sum = b[j];
      for (int i = 0; i < n; i++) {
        sum += w[row + i] * x[i];
      }
      a[j] = sum;
    }
  }

  private static void rowLayer(double[] w, double[] b, double[] x, double[] a, double[] out,
      Activation f, int n, int m) {
    for (int j = 0, row = 0; j < m; j++, row += n) {
      double sum = b[j];
      for (int i = 0; i < n; i++) {
        sum += w[row + i] * x[i];
      }
      a[j] = sum;
      out[j] = f.value(sum);
    }
  }

  private static void rowHiddenLayer(double[] w, double[] b, double[] x, double[] out, Activation f,
      int n, int m) {
    if (n <= 4) {
      double x0 = x[0]; // the inputs read once, before any store (see rowStep)
      double x1 = n > 1 ? x[1] : 0.0;
      double x2 = n > 2 ? x[2] : 0.0;
      double x3 = n > 3 ? x[3] : 0.0;
      for (int j = 0, row = 0; j < m; j++, row += n) {
        out[j] = f.value(dot(b[j], w, row, n, x0, x1, x2, x3));
      }
      return;
    }
    for (int j = 0, row = 0; j < m; j++, row += n) {
      double sum = b[j];
      for (int i = 0; i < n; i++) {
        sum += w[row + i] * x[i];
      }
      out[j] = f.value(sum);
    }
  }

  /**
   * Adds x_i times column i: loops with one index, which C2 vectorises. Four columns per pass
   * over a, added one after the other into each a_j (the order of the one-column loop, so the
   * same bits): a is loaded and stored once per four columns instead of once per column, which
   * was what bounded this loop (784-128: 21 to 15 µs). The update loop gained nothing from the
   * same blocking (measured), so it stays one column at a time.
   */
  static void columnDense(double[][] cols, double[] b, double[] x, double[] a, int n, int m) {
    System.arraycopy(b, 0, a, 0, m);
    int i = 0;
    for (int blocked = n & ~3; i < blocked; i += 4) {
      double x0 = x[i];
      double x1 = x[i + 1];
      double x2 = x[i + 2];
      double x3 = x[i + 3];
      double[] c0 = cols[i];
      double[] c1 = cols[i + 1];
      double[] c2 = cols[i + 2];
      double[] c3 = cols[i + 3];
      for (int j = 0; j < m; j++) {
        a[j] = (((a[j] + c0[j] * x0) + c1[j] * x1) + c2[j] * x2) + c3[j] * x3;
      }
    }
    for (; i < n; i++) {
      double xi = x[i];
      double[] c = cols[i];
      for (int j = 0; j < m; j++) {
        a[j] += c[j] * xi;
      }
    }
  }

  /** below_i = Σ_j W[j][i]·delta_j: the gradient with respect to the layer's input. */
  static void down(boolean byRow, double[] w, double[][] cols, double[] delta, double[] below,
      int n, int m) {
    if (byRow) {
      rowDown(w, delta, below, n, m);
    } else {
      columnDown(cols, delta, below, n, m);
    }
  }

  private static void rowDown(double[] w, double[] delta, double[] below, int n, int m) {
    for (int i = 0; i < n; i++) {
      double sum = w[i] * delta[0]; // not 0.0 + …: an addition less on the step's critical path
      for (int j = 1, at = i + n; j < m; j++, at += n) {
        sum += w[at] * delta[j];
      }
      below[i] = sum;
    }
  }

  private static void rowDownThrough(double[] w, double[] delta, double[] below, double[] belowOut,
      Activation f, int n, int m) {
    if (m <= 4) {
      double d0 = delta[0]; // the deltas read once, before any store (see rowStep)
      double d1 = m > 1 ? delta[1] : 0.0;
      double d2 = m > 2 ? delta[2] : 0.0;
      double d3 = m > 3 ? delta[3] : 0.0;
      for (int i = 0; i < n; i++) {
        double sum = w[i] * d0;
        if (m > 1) {
          sum += w[i + n] * d1;
        }
        if (m > 2) {
          sum += w[i + 2 * n] * d2;
        }
        if (m > 3) {
          sum += w[i + 3 * n] * d3;
        }
        below[i] = f.backpropagate(belowOut[i], sum);
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      double sum = w[i] * delta[0];
      for (int j = 1, at = i + n; j < m; j++, at += n) {
        sum += w[at] * delta[j];
      }
      below[i] = f.backpropagate(belowOut[i], sum);
    }
  }

  private static void columnDown(double[][] cols, double[] delta, double[] below, int n, int m) {
    for (int i = 0; i < n; i++) {
      double[] c = cols[i];
      double sum = c[0] * delta[0];
      for (int j = 1; j < m; j++) {
        sum += c[j] * delta[j];
      }
      below[i] = sum;
    }
  }

  /**
   * θ ← θ − rate·∇θ for W (gradient delta ⊗ x) and b (gradient delta), without building the
   * gradient, rounded as the lecture writes it: w ← w − (rate·delta_j)·x_i, one product per weight
   * once rate·delta_j is known (torch rounds rate·(delta_j·x_i); the two differ by an ulp at most).
   */
  static void step(boolean byRow, double[] w, double[][] cols, double[] b, double[] x,
      double[] delta, double rate, int n, int m) {
    if (byRow) {
      rowStep(w, b, x, delta, rate, n, m);
    } else {
      columnStep(cols, x, delta, rate, n, m);
      biasStep(b, delta, rate, m);
    }
  }

  /** A row and its bias with one rate·delta_j (a separate bias loop would load delta_j again). */
  private static void rowStep(double[] w, double[] b, double[] x, double[] delta, double rate,
      int n, int m) {
    if (n <= 4) {
      // The inputs read once, before any store: C2 cannot tell x from w and would otherwise load
      // every x_i again after each store into w.
      double x0 = x[0];
      double x1 = n > 1 ? x[1] : 0.0;
      double x2 = n > 2 ? x[2] : 0.0;
      double x3 = n > 3 ? x[3] : 0.0;
      for (int j = 0, row = 0; j < m; j++, row += n) {
        double d = rate * delta[j];
        w[row] -= d * x0;
        if (n > 1) {
          w[row + 1] -= d * x1;
        }
        if (n > 2) {
          w[row + 2] -= d * x2;
        }
        if (n > 3) {
          w[row + 3] -= d * x3;
        }
        b[j] -= d;
      }
      return;
    }
    for (int j = 0, row = 0; j < m; j++, row += n) {
      double d = rate * delta[j];
      for (int i = 0; i < n; i++) {
        w[row + i] -= d * x[i];
      }
      b[j] -= d;
    }
  }

  private static void columnStep(double[][] cols, double[] x, double[] delta, double rate, int n, int m) {
    for (int i = 0; i < n; i++) {
      double xi = x[i];
      double[] c = cols[i];
      for (int j = 0; j < m; j++) {
        c[j] -= (rate * delta[j]) * xi; // the same bits as by row
      }
    }
  }

  private static void biasStep(double[] b, double[] delta, double rate, int m) {
    for (int j = 0; j < m; j++) {
      b[j] -= rate * delta[j];
    }
  }

  /** sum + Σ_i w[row + i]·x_i over n ≤ 4 inputs held in locals, in the order of the loops above. */
  private static double dot(double sum, double[] w, int row, int n, double x0, double x1, double x2,
      double x3) {
    sum += w[row] * x0;
    if (n > 1) {
      sum += w[row + 1] * x1;
    }
    if (n > 2) {
      sum += w[row + 2] * x2;
    }
    if (n > 3) {
      sum += w[row + 3] * x3;
    }
    return sum;
  }

  /** Σ v_i², four partial sums in a fixed order: a quarter of the dependency chain, the same bits always. */
  static double squaredNorm(double[] v, int n) {
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
}
