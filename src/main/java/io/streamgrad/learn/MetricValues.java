package io.streamgrad.learn;

/**
 * A model's quality metrics over one span of its labelled samples: all time, or the recent window
 * ({@link StatsSettings#window()}). A metric that does not apply to the model's loss, or has no
 * value yet, is NaN. The README's "Metrics" section defines each one.
 *
 * @param mae regression: mean absolute error, averaged over outputs
 * @param rmse regression: root mean squared error, averaged over outputs
 * @param r2 regression: coefficient of determination, averaged over outputs
 * @param accuracy classifiers: share of right decisions (per output for several outputs)
 * @param logLoss softmax_ce and bce: cross-entropy of the output probabilities, clipped
 * @param macroF1 classifiers: the mean F1 over the classes
 * @param rocAuc single-output bce and hinge, window only: area under the ROC curve
 */
public record MetricValues(
    double mae,
    double rmse,
    double r2,
    double accuracy,
    double logLoss,
    double macroF1,
    double rocAuc) {
  /** No metric has a value. */
  public static final MetricValues NONE =
      new MetricValues(
          Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  static MetricValues regression(double mae, double rmse, double r2) {
    return new MetricValues(mae, rmse, r2, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  static MetricValues classification(
      double accuracy, double logLoss, double macroF1, double rocAuc) {
    return new MetricValues(Double.NaN, Double.NaN, Double.NaN, accuracy, logLoss, macroF1, rocAuc);
  }
}
