package io.streamgrad.bench;

import java.util.SplittableRandom;

/**
 * The yardstick of the kernel's speed: a plain hand-written SGD loop for one hidden layer (sigmoid)
 * and a softmax + cross-entropy output (identity + l2 for one output), with flat row-major arrays
 * and none of the nn package's generality. {@code bench kernel --baseline} runs it side by side
 * with the nn code on the same sizes, so the ratio between the two is measured in one run.
 *
 * <p>The sizes are constants to the JIT, as in a loop written for one network: static finals set
 * from {@value #SIZE_PROPERTY} when the class loads (the child JVM gets it on its command line).
 * With sizes read from fields the same loop is markedly slower on small networks, which would make
 * the yardstick too easy to beat (BENCHMARKS.md, "Kernel").
 */
public final class HandLoopBaseline {
  static final String SIZE_PROPERTY = "streamgrad.handloop.size";
  private static final int[] SIZE = parse(System.getProperty(SIZE_PROPERTY, "3-4-2"));
  private static final int in = SIZE[0];
  private static final int hidden = SIZE[1];
  private static final int out = SIZE[2];
  private final double[] w1;
  private final double[] b1;
  private final double[] w2;
  private final double[] b2;
  private final double[] h;
  private final double[] z;
  private final double[] d2;
  private final double[] d1;
  private final double[][] inputs;
  private final double[][] targets;
  private final double rate = 0.01;
  private int next;

  private static int[] parse(String size) {
    String[] parts = size.split("-");
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "the hand-written baseline has one hidden layer: IN-HIDDEN-OUT, got " + size);
    }
    return new int[] {
      Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])
    };
  }

  public HandLoopBaseline(String size) {
    if (!java.util.Arrays.equals(parse(size), SIZE)) {
      throw new IllegalArgumentException(
          "this JVM's hand-written loop is for "
              + in
              + "-"
              + hidden
              + "-"
              + out
              + "; run it with -D"
              + SIZE_PROPERTY
              + "="
              + size);
    }
    SplittableRandom random = new SplittableRandom(42);
    w1 = random.doubles((long) in * hidden, -0.1, 0.1).toArray();
    b1 = new double[hidden];
    w2 = random.doubles((long) hidden * out, -0.1, 0.1).toArray();
    b2 = new double[out];
    h = new double[hidden];
    z = new double[out];
    d2 = new double[out];
    d1 = new double[hidden];
    SplittableRandom data = new SplittableRandom(7);
    inputs = new double[256][];
    targets = new double[256][];
    for (int s = 0; s < 256; s++) {
      inputs[s] = data.doubles(in, 0, 1).toArray();
      targets[s] = out > 1 ? new double[] {data.nextInt(out)} : data.doubles(out, -1, 1).toArray();
    }
  }

  public double step() {
    int s = next++ & 255;
    double[] x = inputs[s];
    double[] y = targets[s];
    for (int j = 0; j < hidden; j++) {
      double a = b1[j];
      for (int i = 0; i < in; i++) {
        a += w1[j * in + i] * x[i];
      }
      h[j] = 1.0 / (1.0 + Math.exp(-a));
    }
    for (int k = 0; k < out; k++) {
      double a = b2[k];
      for (int j = 0; j < hidden; j++) {
        a += w2[k * hidden + j] * h[j];
      }
      z[k] = a;
    }
    double loss;
    if (out > 1) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < out; k++) {
        max = Math.max(max, z[k]);
      }
      double sum = 0;
      for (int k = 0; k < out; k++) {
        d2[k] = Math.exp(z[k] - max);
        sum += d2[k];
      }
      int label = (int) y[0];
      loss = -Math.log(d2[label] / sum);
      for (int k = 0; k < out; k++) {
        d2[k] = d2[k] / sum - (k == label ? 1 : 0);
      }
    } else {
      d2[0] = z[0] - y[0];
      loss = 0.5 * d2[0] * d2[0];
    }
    for (int j = 0; j < hidden; j++) {
      double g = 0;
      for (int k = 0; k < out; k++) {
        g += w2[k * hidden + j] * d2[k];
      }
      d1[j] = g * h[j] * (1 - h[j]);
    }
    for (int k = 0; k < out; k++) {
      double d = rate * d2[k];
      for (int j = 0; j < hidden; j++) {
        w2[k * hidden + j] -= d * h[j];
      }
      b2[k] -= d;
    }
    for (int j = 0; j < hidden; j++) {
      double d = rate * d1[j];
      for (int i = 0; i < in; i++) {
        w1[j * in + i] -= d * x[i];
      }
      b1[j] -= d;
    }
    return loss;
  }

  /**
   * n steps in a loop of this class's own (so that its call of step stays monomorphic); returns the
   * sum of the losses.
   */
  double steps(int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += step();
    }
    return sum;
  }

  /** Steps per second over the given time, after a warm-up of the same length. */
  public double measure(double seconds) {
    return StepTimer.stepsPerSecond(this::step, seconds);
  }

  /**
   * Child-JVM entry: {@code HandLoopBaseline SIZE SECONDS} prints "SIZE steps/s (hand-written
   * loop)".
   */
  public static void main(String[] args) {
    double rate = new HandLoopBaseline(args[0]).measure(Double.parseDouble(args[1]));
    System.out.printf(java.util.Locale.ROOT, "%s %.0f (hand-written loop)%n", args[0], rate);
  }
}
