package io.streamgrad.learn;

/**
 * The log loss of predicted probabilities, clipped as scikit-learn's {@code log_loss} clips them:
 * to [ε, 1 − ε] with ε the machine epsilon of float64 (numpy's {@code finfo(float64).eps}), so that
 * a confident wrong answer costs about 36 rather than infinity. StrictMath, so the reported value
 * has the same bits on every machine.
 */
final class LogLoss {
  /** 2.220446049250313e-16. */
  static final double EPS = Math.ulp(1.0);

  private LogLoss() {}

  static double clip(double p) {
    return Math.max(EPS, Math.min(1.0 - EPS, p));
  }

  /** −log p of the probability given to the true class. */
  static double ofTrueClass(double p) {
    return -StrictMath.log(clip(p));
  }

  /** −(y·log p + (1 − y)·log(1 − p)) for a label y in [0, 1] and p = P(positive). */
  static double binary(double y, double p) {
    double q = clip(p);
    if (y == 1.0) {
      return -StrictMath.log(q);
    }
    if (y == 0.0) {
      return -StrictMath.log(1.0 - q);
    }
    return -(y * StrictMath.log(q) + (1.0 - y) * StrictMath.log(1.0 - q));
  }
}
