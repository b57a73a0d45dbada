package io.streamgrad.learn;

import io.streamgrad.nn.Architecture;

/**
 * A model's running statistics: samples seen, labelled samples, refused steps, the mean loss over
 * all time, its exponentially weighted mean, the mean over the last N labelled samples, the
 * zero-one error rate of classifiers (all time and over the same window), and the quality metrics
 * of its kind of model ({@link QualityMetrics}) over the same two spans.
 *
 * <p>Package-private mutation: only the {@link Learner} and its codec change it.
 */
public final class RunningStats {
  final StatsSettings settings;
  final double ewmaAlpha;
  long samples;
  long labelled;
  long refused;
  double lossSum;
  double ewma = Double.NaN;
  final double[] windowLosses;
  final byte[] windowErrors;
  int windowFilled;
  int windowNext;
  long classified;
  long errors;
  final QualityMetrics quality;

  RunningStats(StatsSettings settings, Architecture architecture) {
    this.settings = settings;
    this.quality =
        settings.metrics()
            ? QualityMetrics.of(architecture, settings.window())
            : QualityMetrics.OFF;
    this.ewmaAlpha = 1.0 - Math.pow(0.5, 1.0 / settings.ewmaHalfLife());
    this.windowLosses = new double[settings.window()];
    this.windowErrors = new byte[settings.window()];
  }

  void recordUnlabelled() {
    samples++;
  }

  /**
   * A labelled sample with a finite loss: the loss, for classifiers whether the decision was wrong,
   * and the outputs served for it with its target, for the quality metrics.
   */
  void recordLabelled(double loss, Boolean wrong, double[] outputs, double[] target) {
    samples++;
    recordLateLabel(loss, wrong, outputs, target);
  }

  /**
   * The label of a sample counted earlier (when it was predicted): scored like a labelled sample,
   * without counting the sample again.
   */
  void recordLateLabel(double loss, Boolean wrong, double[] outputs, double[] target) {
    labelled++;
    lossSum += loss;
    ewma = Double.isNaN(ewma) ? loss : ewma + ewmaAlpha * (loss - ewma);
    windowLosses[windowNext] = loss;
    windowErrors[windowNext] = (byte) (Boolean.TRUE.equals(wrong) ? 1 : 0);
    if (++windowNext == windowLosses.length) { // a compare, not an integer division per sample
      windowNext = 0;
    }
    windowFilled = Math.min(windowFilled + 1, windowLosses.length);
    if (wrong != null) {
      classified++;
      if (wrong) {
        errors++;
      }
    }
    quality.record(outputs, target);
  }

  /** The statistics as one section of the learner state ({@link LearnerCodec}). */
  void writeTo(StateWriter out) {
    out.putDouble(settings.ewmaHalfLife()).putInt(windowLosses.length);
    out.putLong(samples).putLong(labelled).putLong(refused).putDouble(lossSum).putDouble(ewma);
    out.putLong(classified).putLong(errors).putInt(windowFilled).putInt(windowNext);
    out.putDoubles(windowLosses);
    out.putBytes(windowErrors);
  }

  /**
   * The quality metrics as their own section: whether they are on, then their state. A state
   * written before the section existed has none, and its metrics start afresh.
   */
  void writeMetricsTo(StateWriter out) {
    out.putBoolean(settings.metrics());
    quality.writeTo(out);
  }

  /**
   * @param metrics the metrics section, or null when the state has none
   */
  static RunningStats readFrom(StateReader in, StateReader metrics, Architecture architecture) {
    double halfLife = in.getDouble();
    int window = in.getInt();
    boolean metricsOn = metrics == null || metrics.getBoolean();
    RunningStats stats =
        new RunningStats(new StatsSettings(halfLife, window, metricsOn), architecture);
    stats.samples = in.getLong();
    stats.labelled = in.getLong();
    stats.refused = in.getLong();
    stats.lossSum = in.getDouble();
    stats.ewma = in.getDouble();
    stats.classified = in.getLong();
    stats.errors = in.getLong();
    stats.windowFilled = in.getInt();
    stats.windowNext = in.getInt();
    System.arraycopy(in.getDoubles(window), 0, stats.windowLosses, 0, window);
    byte[] errors = in.getBytes();
    if (errors == null || errors.length != window) {
      throw new IllegalArgumentException("learner state: the error window does not match");
    }
    System.arraycopy(errors, 0, stats.windowErrors, 0, window);
    if (metrics != null) {
      stats.quality.readFrom(metrics);
    }
    return stats;
  }

  void recordRefused() {
    refused++;
  }

  public long samples() {
    return samples;
  }

  public long labelled() {
    return labelled;
  }

  public long refused() {
    return refused;
  }

  public StatsSettings settings() {
    return settings;
  }

  /** Mean loss over every labelled sample whose loss was finite, or NaN before the first. */
  public double meanLoss() {
    return labelled == 0 ? Double.NaN : lossSum / labelled;
  }

  public double ewmaLoss() {
    return ewma;
  }

  public double windowLoss() {
    if (windowFilled == 0) {
      return Double.NaN;
    }
    double sum = 0.0;
    for (int i = 0; i < windowFilled; i++) {
      sum += windowLosses[i];
    }
    return sum / windowFilled;
  }

  /** Zero-one error rate over all time, or NaN for a model that is not a classifier. */
  public double errorRate() {
    return classified == 0 ? Double.NaN : (double) errors / classified;
  }

  public double windowErrorRate() {
    if (classified == 0 || windowFilled == 0) {
      return Double.NaN;
    }
    int sum = 0;
    for (int i = 0; i < windowFilled; i++) {
      sum += windowErrors[i];
    }
    return (double) sum / windowFilled;
  }

  /** The quality metrics over every labelled sample with a finite loss. */
  public MetricValues metrics() {
    return quality.allTime();
  }

  /** The quality metrics over the window of {@link #windowLoss()}, computed now. */
  public MetricValues windowMetrics() {
    return quality.window();
  }
}
