package io.streamgrad.learn;

import java.util.Arrays;

/**
 * The area under the ROC curve as the Mann-Whitney statistic: the share of (positive, negative)
 * pairs in which the positive scores higher, a tie counting one half. That is the trapezoidal area
 * scikit-learn's {@code roc_auc_score} computes. Counted in whole half-pairs, so the result does
 * not depend on the order of the samples. O(n log n): computed when a report asks, never per
 * sample.
 */
final class RocAuc {
  private RocAuc() {}

  /**
   * The first p values of positives and the first n of negatives are the scores; both are sorted in
   * place. NaN without a positive or without a negative (the curve is not defined).
   */
  static double of(double[] positives, int p, double[] negatives, int n) {
    if (p == 0 || n == 0) {
      return Double.NaN;
    }
    Arrays.sort(positives, 0, p);
    Arrays.sort(negatives, 0, n);
    long halfPairs = 0;
    int below = 0;
    int notAbove = 0;
    for (int i = 0; i < p; i++) {
      double score = positives[i];
      while (below < n && negatives[below] < score) {
        below++;
      }
      if (notAbove < below) {
        notAbove = below;
      }
      while (notAbove < n && negatives[notAbove] <= score) {
        notAbove++;
      }
      halfPairs += 2L * below + (notAbove - below);
    }
    return halfPairs / (2.0 * p * n);
  }
}
