package io.streamgrad.learn;

/**
 * Accuracy, log loss, macro F1 and ROC AUC of binary classifiers: bce (sigmoid outputs, each a
 * probability; label positive when ≥ 0.5, decision positive when the output is ≥ 0.5) and hinge
 * (outputs are margins; label ±1, decision positive when the output is ≥ 0), the same decisions as
 * {@link io.streamgrad.nn.Decision}. With several outputs each output is its own binary problem
 * (multi-label): accuracy is the share of right (sample, output) decisions, log loss the mean over
 * samples and outputs, macro F1 the mean over outputs of the positive class's F1. With one output
 * macro F1 averages both classes, and the window also gives the ROC AUC of the output as a score.
 * Hinge margins are no probabilities: no log loss. All time from counts per output; the window from
 * its stored targets, outputs and per-sample log losses, at report time.
 */
final class BinaryMetrics extends QualityMetrics {
  /** What an output is: a probability (bce) or a margin (hinge). */
  enum Scores {
    PROBABILITIES(0.5),
    MARGINS(0.0);

    final double threshold;

    Scores(double threshold) {
      this.threshold = threshold;
    }
  }

  private final int outputs;
  private final Scores scores;
  private long count;
  private final long[] truePositives;
  private final long[] falsePositives;
  private final long[] falseNegatives;
  private double logLossSum;
  private final WindowRing ring;
  private final double[] windowTargets;
  private final double[] windowOutputs;

  /** Per slot, the sample's log loss summed over outputs: computed once, when it is recorded. */
  private final double[] windowLogLosses;

  BinaryMetrics(int outputs, int window, Scores scores) {
    this.outputs = outputs;
    this.scores = scores;
    this.truePositives = new long[outputs];
    this.falsePositives = new long[outputs];
    this.falseNegatives = new long[outputs];
    this.ring = new WindowRing(window);
    this.windowTargets = new double[window * outputs];
    this.windowOutputs = new double[window * outputs];
    this.windowLogLosses = new double[scores == Scores.PROBABILITIES ? window : 0];
  }

  @Override
  void record(double[] output, double[] target) {
    count++;
    int slot = ring.advance();
    int base = slot * outputs;
    double logLoss = 0.0;
    for (int k = 0; k < outputs; k++) {
      double y = target[k];
      double score = output[k];
      boolean positive = y >= scores.threshold;
      boolean decided = score >= scores.threshold;
      if (decided) {
        if (positive) {
          truePositives[k]++;
        } else {
          falsePositives[k]++;
        }
      } else if (positive) {
        falseNegatives[k]++;
      }
      if (scores == Scores.PROBABILITIES) {
        logLoss += LogLoss.binary(y, score);
      }
      windowTargets[base + k] = y;
      windowOutputs[base + k] = score;
    }
    if (scores == Scores.PROBABILITIES) {
      logLossSum += logLoss;
      windowLogLosses[slot] = logLoss;
    }
  }

  @Override
  MetricValues allTime() {
    if (count == 0) {
      return MetricValues.NONE;
    }
    return values(count, truePositives, falsePositives, falseNegatives, logLossSum, Double.NaN);
  }

  @Override
  MetricValues window() {
    int n = ring.filled();
    if (n == 0) {
      return MetricValues.NONE;
    }
    long[] tp = new long[outputs];
    long[] fp = new long[outputs];
    long[] fn = new long[outputs];
    double logLoss = 0.0;
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < outputs; k++) {
        double y = windowTargets[i * outputs + k];
        double score = windowOutputs[i * outputs + k];
        boolean positive = y >= scores.threshold;
        if (score >= scores.threshold) {
          if (positive) {
            tp[k]++;
          } else {
            fp[k]++;
          }
        } else if (positive) {
          fn[k]++;
        }
      }
      if (scores == Scores.PROBABILITIES) {
        logLoss += windowLogLosses[i];
      }
    }
    return values(n, tp, fp, fn, logLoss, outputs == 1 ? rocAuc(n) : Double.NaN);
  }

  private double rocAuc(int n) {
    double[] positives = new double[n];
    double[] negatives = new double[n];
    int p = 0;
    int q = 0;
    for (int i = 0; i < n; i++) {
      if (windowTargets[i] >= scores.threshold) {
        positives[p++] = windowOutputs[i];
      } else {
        negatives[q++] = windowOutputs[i];
      }
    }
    return RocAuc.of(positives, p, negatives, q);
  }

  private MetricValues values(
      long n, long[] tp, long[] fp, long[] fn, double logLoss, double rocAuc) {
    long wrong = 0;
    MacroF1 f1 = new MacroF1();
    for (int k = 0; k < outputs; k++) {
      wrong += fp[k] + fn[k];
      f1.add(tp[k], fp[k], fn[k]);
    }
    if (outputs == 1) {
      long trueNegatives = n - tp[0] - fp[0] - fn[0];
      f1.add(trueNegatives, fn[0], fp[0]);
    }
    double decisions = (double) n * outputs;
    return MetricValues.classification(
        (decisions - wrong) / decisions,
        scores == Scores.PROBABILITIES ? logLoss / decisions : Double.NaN,
        f1.value(),
        rocAuc);
  }

  @Override
  void writeTo(StateWriter out) {
    out.putInt(outputs).putLong(count).putDouble(logLossSum);
    writeLongs(out, truePositives);
    writeLongs(out, falsePositives);
    writeLongs(out, falseNegatives);
    ring.writeTo(out);
    out.putDoubles(windowTargets).putDoubles(windowOutputs).putDoubles(windowLogLosses);
  }

  @Override
  void readFrom(StateReader in) {
    expect("outputs", outputs, in.getInt());
    count = in.getLong();
    logLossSum = in.getDouble();
    readInto(in, truePositives);
    readInto(in, falsePositives);
    readInto(in, falseNegatives);
    ring.readFrom(in);
    readInto(in, windowTargets);
    readInto(in, windowOutputs);
    readInto(in, windowLogLosses);
  }
}
