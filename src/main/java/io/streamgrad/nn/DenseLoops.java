package io.streamgrad.nn;

/**
 * The loops of a dense layer: forward (a = W·x + b), backward (the gradient with respect to the
 * layer's input), the plain-SGD update, and the squared norm the overflow guard needs. {@link Mlp}
 * calls them with sizes from its fields; every {@link ShapedKernel} copy calls them with its
 * shape's constants, which C2 folds into them once they are inlined.
 *
 * <p>Every loop takes the layer as its arrays and sizes: n inputs, m neurons; a by-row layer has W
 * row-major in {@code w}, a by-column layer has column i (the weights from input i) in {@code
 * cols[i]}; {@code byRow} picks one. The summation order is fixed (bias, then inputs 0, 1, ...;
 * neurons 0, 1, ... for sums over neurons), so the generic and the shaped path give the same bits.
 * The by-row loops are small separate methods: C2 inlines a method only while its own compiled code
 * is small, and they must be inlined for a shape's constants to reach them.
 */
final class DenseLoops {
  private DenseLoops() {}

  /** a = W·x + b. */
  static void dense(
      boolean byRow,
      double[] w,
      double[][] cols,
      double[] b,
      double[] x,
      double[] a,
      int n,
      int m) {
    if (byRow) {
      rowDense(w, b, x, a, n, m);
    } else {
      columnDense(cols, b, x, a, n, m);
    }
  }

  static void rowDense(double[] w, double[] b, double[] x, double[] a, int n, int m) {
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

  static void rowLayer(
      double[] w, double[] b, double[] x, double[] a, double[] out, Activation f, int n, int m) {
    for (int j = 0, row = 0; j < m; j++, row += n) {
      double sum = b[j];
      for (int i = 0; i < n; i++) {
        sum += w[row + i] * x[i];
      }
      a[j] = sum;
      out[j] = f.value(sum);
    }
  }

  static void rowHiddenLayer(
      double[] w, double[] b, double[] x, double[] out, Activation f, int n, int m) {
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
   * Adds x_i times column i: loops with one index, which C2 vectorises. Four columns per pass over
   * a, added one after the other into each a_j (the order of the one-column loop, so the same
   * bits): a is loaded and stored once per four columns instead of once per column, and those loads
   * and stores bound the one-column loop (BENCHMARKS.md, "Kernel"). The update loop does not gain
   * from the same blocking, so it stays one column at a time.
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
  static void down(
      boolean byRow, double[] w, double[][] cols, double[] delta, double[] below, int n, int m) {
    if (byRow) {
      rowDown(w, delta, below, n, m);
    } else {
      columnDown(cols, delta, below, n, m);
    }
  }

  static void rowDown(double[] w, double[] delta, double[] below, int n, int m) {
    for (int i = 0; i < n; i++) {
      double sum = w[i] * delta[0]; // not 0.0 + …: an addition less on the step's critical path
      for (int j = 1, at = i + n; j < m; j++, at += n) {
        sum += w[at] * delta[j];
      }
      below[i] = sum;
    }
  }

  static void rowDownThrough(
      double[] w, double[] delta, double[] below, double[] belowOut, Activation f, int n, int m) {
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

  static void columnDown(double[][] cols, double[] delta, double[] below, int n, int m) {
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
  static void step(
      boolean byRow,
      double[] w,
      double[][] cols,
      double[] b,
      double[] x,
      double[] delta,
      double rate,
      int n,
      int m) {
    if (byRow) {
      rowStep(w, b, x, delta, rate, n, m);
    } else {
      columnStep(cols, x, delta, rate, n, m);
      biasStep(b, delta, rate, m);
    }
  }

  /** A row and its bias with one rate·delta_j (a separate bias loop would load delta_j again). */
  static void rowStep(
      double[] w, double[] b, double[] x, double[] delta, double rate, int n, int m) {
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

  static void columnStep(double[][] cols, double[] x, double[] delta, double rate, int n, int m) {
    for (int i = 0; i < n; i++) {
      double xi = x[i];
      double[] c = cols[i];
      for (int j = 0; j < m; j++) {
        c[j] -= (rate * delta[j]) * xi; // the same bits as by row
      }
    }
  }

  static void biasStep(double[] b, double[] delta, double rate, int m) {
    for (int j = 0; j < m; j++) {
      b[j] -= rate * delta[j];
    }
  }

  /** sum + Σ_i w[row + i]·x_i over n ≤ 4 inputs held in locals, in the order of the loops above. */
  static double dot(
      double sum, double[] w, int row, int n, double x0, double x1, double x2, double x3) {
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

  /**
   * Σ v_i², four partial sums in a fixed order: a quarter of the dependency chain, the same bits
   * always.
   */
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
