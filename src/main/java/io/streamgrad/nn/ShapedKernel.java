package io.streamgrad.nn;

import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandles;

/**
 * The template of a kernel made for one network shape: {@link ShapedKernels} defines this class's
 * own bytes again as a hidden class per {@link Architecture}, with the shape as class data.
 *
 * <p>Why: on a small network the time goes into loop set-up, not arithmetic. A loop over three
 * inputs whose count HotSpot cannot see costs several times more than the same loop with a constant
 * count, which C2 unrolls completely (BENCHMARKS.md, "Kernel"). In each copy {@code LAYERS}, {@code
 * IN0}, {@code OUT0}, ... are static finals, which C2 treats as constants, so once the {@link
 * DenseLoops} are inlined every size, layout choice, activation and loss folds away. Each copy runs
 * exactly the operations of {@link Mlp}'s generic path, in the same order: the same bits, faster.
 * Loaded normally (without class data) the class is never instantiated.
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
      return MethodHandles.classData(
          MethodHandles.lookup(), ConstantDescs.DEFAULT_NAME, Object[].class);
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
   * computed and the CPU waits on exp's latency anyway; in the backward pass the same work would
   * lengthen every training step's critical path (BENCHMARKS.md, "Kernel").
   */
  private double inputSquares0;

  private double inputSquares1;
  private double inputSquares2;
  private double inputSquares3;

  /** Works on the network's own arrays, per layer (see {@link Mlp} for what each holds). */
  ShapedKernel(
      double[] input,
      double[][] rows,
      double[][][] columns,
      double[][] biases,
      double[][] preActivations,
      double[][] outputs,
      double[][] deltas) {
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
    return DenseLoops.squaredNorm(x, n) + 1.0;
  }

  /**
   * a = W·x + b, out = f(a) for a hidden layer; returns ‖out‖² + 1, the next layer's factor in
   * {@link #gradientNormSquared}. A narrow layer does it in one pass and keeps only out (a hidden
   * layer's derivative needs only out): a second store per neuron is enough for C2 not to unroll
   * the loop. Hidden and output layers have separate methods so that neither's compiled code holds
   * the other's: C2 inlines a method it has already compiled on its own only while that code is
   * small (with one method for both, even a small network's forward pass can end up as calls).
   */
  private static double hiddenLayer(
      boolean byRow,
      double[] w,
      double[][] cols,
      double[] b,
      double[] x,
      double[] a,
      double[] out,
      Activation f,
      int n,
      int m) {
    if (byRow) {
      DenseLoops.rowHiddenLayer(w, b, x, out, f, n, m);
    } else {
      DenseLoops.dense(false, null, cols, b, x, a, n, m);
      f.apply(a, out, m);
    }
    return DenseLoops.squaredNorm(out, m) + 1.0;
  }

  /** a = W·x + b, out = f(a) for the output layer, which keeps a (the loss reads the logits). */
  private static void outputLayer(
      boolean byRow,
      double[] w,
      double[][] cols,
      double[] b,
      double[] x,
      double[] a,
      double[] out,
      Activation f,
      int n,
      int m) {
    if (byRow && f.isElementWise()) {
      DenseLoops.rowLayer(w, b, x, a, out, f, n, m);
    } else {
      DenseLoops.dense(byRow, w, cols, b, x, a, n, m);
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

  /**
   * The same passes as the end of {@link #backward}, which keeps its own copy: one call fewer on
   * the plain SGD step, whose cost at small sizes is mostly calls.
   */
  @Override
  public void propagate() {
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

  /**
   * below = f'(a_below) ⊙ (Wᵀ·delta): the delta of the layer below, in one pass for a narrow layer.
   */
  private static void downThrough(
      boolean byRow,
      double[] w,
      double[][] cols,
      double[] delta,
      double[] below,
      double[] belowA,
      double[] belowOut,
      Activation f,
      int n,
      int m) {
    if (byRow) {
      DenseLoops.rowDownThrough(w, delta, below, belowOut, f, n, m);
    } else {
      DenseLoops.columnDown(cols, delta, below, n, m);
      f.backpropagate(belowA, belowOut, below, n);
    }
  }

  @Override
  public double gradientNormSquared() {
    double sum = DenseLoops.squaredNorm(d0, OUT0) * inputSquares0;
    if (LAYERS > 1) {
      sum += DenseLoops.squaredNorm(d1, OUT1) * inputSquares1;
    }
    if (LAYERS > 2) {
      sum += DenseLoops.squaredNorm(d2, OUT2) * inputSquares2;
    }
    if (LAYERS > 3) {
      sum += DenseLoops.squaredNorm(d3, OUT3) * inputSquares3;
    }
    return sum;
  }

  @Override
  public void descend(double rate) {
    DenseLoops.step(ROW0, w0, c0, b0, x0, d0, rate, IN0, OUT0);
    if (LAYERS > 1) {
      DenseLoops.step(ROW1, w1, c1, b1, o0, d1, rate, IN1, OUT1);
    }
    if (LAYERS > 2) {
      DenseLoops.step(ROW2, w2, c2, b2, o1, d2, rate, IN2, OUT2);
    }
    if (LAYERS > 3) {
      DenseLoops.step(ROW3, w3, c3, b3, o2, d3, rate, IN3, OUT3);
    }
  }
}
