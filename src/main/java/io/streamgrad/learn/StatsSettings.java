package io.streamgrad.learn;

/**
 * How the running loss is summarised: the half-life of the exponentially weighted mean and the
 * length of the recent window, both in labelled samples; and whether the quality metrics (MAE,
 * accuracy, ROC AUC, ...: {@link MetricValues}) are kept beside the loss.
 */
public record StatsSettings(double ewmaHalfLife, int window, boolean metrics) {
  public static final StatsSettings DEFAULT = new StatsSettings(100, 100);

  /** With the quality metrics on. */
  public StatsSettings(double ewmaHalfLife, int window) {
    this(ewmaHalfLife, window, true);
  }

  public StatsSettings {
    if (!(ewmaHalfLife > 0) || !Double.isFinite(ewmaHalfLife)) {
      throw new IllegalArgumentException("ewma half-life must be > 0 samples, got " + ewmaHalfLife);
    }
    if (window < 1) {
      throw new IllegalArgumentException("loss window must be >= 1 samples, got " + window);
    }
  }
}
