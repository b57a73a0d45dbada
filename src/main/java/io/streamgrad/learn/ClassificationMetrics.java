package io.streamgrad.learn;

/**
 * Accuracy, log loss and macro F1 of a softmax classifier (softmax_ce): the label is a class index,
 * the decision the output with the highest probability (the first of equal ones, as {@link
 * io.streamgrad.nn.Decision}), the log loss −log of the probability given to the label, clipped
 * ({@link LogLoss}). All time from counts per class; the window from its stored labels, decisions
 * and per-sample log losses, at report time.
 */
final class ClassificationMetrics extends QualityMetrics {
  private final int classes;
  private long count;
  private final long[] truePositives;
  private final long[] labelled;
  private final long[] decided;
  private double logLossSum;
  private final WindowRing ring;
  private final int[] windowLabels;
  private final int[] windowDecisions;
  private final double[] windowLogLosses;

  ClassificationMetrics(int classes, int window) {
    this.classes = classes;
    this.truePositives = new long[classes];
    this.labelled = new long[classes];
    this.decided = new long[classes];
    this.ring = new WindowRing(window);
    this.windowLabels = new int[window];
    this.windowDecisions = new int[window];
    this.windowLogLosses = new double[window];
  }

  @Override
  void record(double[] outputs, double[] target) {
    int label = (int) target[0];
    int decision = argmax(outputs);
    double logLoss = LogLoss.ofTrueClass(outputs[label]);
    count++;
    labelled[label]++;
    decided[decision]++;
    if (label == decision) {
      truePositives[label]++;
    }
    logLossSum += logLoss;
    int slot = ring.advance();
    windowLabels[slot] = label;
    windowDecisions[slot] = decision;
    windowLogLosses[slot] = logLoss;
  }

  private static int argmax(double[] outputs) {
    int best = 0;
    for (int k = 1; k < outputs.length; k++) {
      if (outputs[k] > outputs[best]) {
        best = k;
      }
    }
    return best;
  }

  @Override
  MetricValues allTime() {
    if (count == 0) {
      return MetricValues.NONE;
    }
    return values(count, truePositives, labelled, decided, logLossSum);
  }

  @Override
  MetricValues window() {
    int n = ring.filled();
    if (n == 0) {
      return MetricValues.NONE;
    }
    long[] right = new long[classes];
    long[] labels = new long[classes];
    long[] decisions = new long[classes];
    double logLoss = 0.0;
    for (int i = 0; i < n; i++) {
      labels[windowLabels[i]]++;
      decisions[windowDecisions[i]]++;
      if (windowLabels[i] == windowDecisions[i]) {
        right[windowLabels[i]]++;
      }
      logLoss += windowLogLosses[i];
    }
    return values(n, right, labels, decisions, logLoss);
  }

  private MetricValues values(
      long n, long[] right, long[] labels, long[] decisions, double logLoss) {
    long correct = 0;
    MacroF1 f1 = new MacroF1();
    for (int c = 0; c < classes; c++) {
      correct += right[c];
      f1.add(right[c], decisions[c] - right[c], labels[c] - right[c]);
    }
    return MetricValues.classification((double) correct / n, logLoss / n, f1.value(), Double.NaN);
  }

  @Override
  void writeTo(StateWriter out) {
    out.putInt(classes).putLong(count).putDouble(logLossSum);
    writeLongs(out, truePositives);
    writeLongs(out, labelled);
    writeLongs(out, decided);
    ring.writeTo(out);
    writeInts(out, windowLabels);
    writeInts(out, windowDecisions);
    out.putDoubles(windowLogLosses);
  }

  @Override
  void readFrom(StateReader in) {
    expect("classes", classes, in.getInt());
    count = in.getLong();
    logLossSum = in.getDouble();
    readInto(in, truePositives);
    readInto(in, labelled);
    readInto(in, decided);
    ring.readFrom(in);
    readInto(in, windowLabels);
    readInto(in, windowDecisions);
    readInto(in, windowLogLosses);
    for (int i = 0; i < windowLabels.length; i++) {
      if (windowLabels[i] < 0
          || windowLabels[i] >= classes
          || windowDecisions[i] < 0
          || windowDecisions[i] >= classes) {
        throw new IllegalArgumentException(
            "learner state: a class in the metrics window is out of range");
      }
    }
  }
}
