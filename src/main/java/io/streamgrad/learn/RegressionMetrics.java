package io.streamgrad.learn;

/**
 * MAE, RMSE and R² of a regression (l2, l1), each computed per output and averaged over the outputs
 * with equal weight (scikit-learn's {@code multioutput="uniform_average"}). All time from running
 * sums per output (the target's variance by Welford's update, which does not cancel the way Σy² −
 * nȳ² does); the window from its stored targets and outputs, at report time.
 */
final class RegressionMetrics extends QualityMetrics {
  private final int outputs;
  private long count;
  private final double[] absoluteErrors;
  private final double[] squaredErrors;
  private final double[] targetMean;
  private final double[] targetSquaredDeviations;
  private final WindowRing ring;
  private final double[] windowTargets;
  private final double[] windowOutputs;

  RegressionMetrics(int outputs, int window) {
    this.outputs = outputs;
    this.absoluteErrors = new double[outputs];
    this.squaredErrors = new double[outputs];
    this.targetMean = new double[outputs];
    this.targetSquaredDeviations = new double[outputs];
    this.ring = new WindowRing(window);
    this.windowTargets = new double[window * outputs];
    this.windowOutputs = new double[window * outputs];
  }

  @Override
  void record(double[] output, double[] target) {
    count++;
    int base = ring.advance() * outputs;
    for (int k = 0; k < outputs; k++) {
      double y = target[k];
      double e = output[k] - y;
      absoluteErrors[k] += Math.abs(e);
      squaredErrors[k] += e * e;
      double d = y - targetMean[k];
      targetMean[k] += d / count;
      targetSquaredDeviations[k] += d * (y - targetMean[k]);
      windowTargets[base + k] = y;
      windowOutputs[base + k] = output[k];
    }
  }

  @Override
  MetricValues allTime() {
    if (count == 0) {
      return MetricValues.NONE;
    }
    double mae = 0.0;
    double rmse = 0.0;
    double r2 = 0.0;
    for (int k = 0; k < outputs; k++) {
      mae += absoluteErrors[k] / count;
      rmse += Math.sqrt(squaredErrors[k] / count);
      r2 += rSquared(squaredErrors[k], targetSquaredDeviations[k]);
    }
    return MetricValues.regression(
        mae / outputs, rmse / outputs, count < 2 ? Double.NaN : r2 / outputs);
  }

  @Override
  MetricValues window() {
    int n = ring.filled();
    if (n == 0) {
      return MetricValues.NONE;
    }
    double mae = 0.0;
    double rmse = 0.0;
    double r2 = 0.0;
    for (int k = 0; k < outputs; k++) {
      double sum = 0.0;
      for (int i = 0; i < n; i++) {
        sum += windowTargets[i * outputs + k];
      }
      double mean = sum / n;
      double absolute = 0.0;
      double squared = 0.0;
      double deviations = 0.0;
      for (int i = 0; i < n; i++) {
        double y = windowTargets[i * outputs + k];
        double e = windowOutputs[i * outputs + k] - y;
        absolute += Math.abs(e);
        squared += e * e;
        deviations += (y - mean) * (y - mean);
      }
      mae += absolute / n;
      rmse += Math.sqrt(squared / n);
      r2 += rSquared(squared, deviations);
    }
    return MetricValues.regression(
        mae / outputs, rmse / outputs, n < 2 ? Double.NaN : r2 / outputs);
  }

  /**
   * 1 − SS_res / SS_tot; for a constant target (SS_tot = 0) 1 when every prediction is exact and
   * else 0, as scikit-learn's r2_score with its default force_finite.
   */
  static double rSquared(double residual, double total) {
    if (total == 0.0) {
      return residual == 0.0 ? 1.0 : 0.0;
    }
    return 1.0 - residual / total;
  }

  @Override
  void writeTo(StateWriter out) {
    out.putInt(outputs).putLong(count);
    out.putDoubles(absoluteErrors).putDoubles(squaredErrors);
    out.putDoubles(targetMean).putDoubles(targetSquaredDeviations);
    ring.writeTo(out);
    out.putDoubles(windowTargets).putDoubles(windowOutputs);
  }

  @Override
  void readFrom(StateReader in) {
    expect("outputs", outputs, in.getInt());
    count = in.getLong();
    readInto(in, absoluteErrors);
    readInto(in, squaredErrors);
    readInto(in, targetMean);
    readInto(in, targetSquaredDeviations);
    ring.readFrom(in);
    readInto(in, windowTargets);
    readInto(in, windowOutputs);
  }
}
