package io.streamgrad.learn;

/**
 * Macro-averaged F1: the mean over classes of F1 = 2·TP / (2·TP + FP + FN), over the classes that
 * occur as a label or as a decision, as scikit-learn's {@code f1_score(average="macro")} does with
 * its default labels; a class that occurs in neither has no F1 and is left out. NaN when no class
 * occurs.
 */
final class MacroF1 {
  private double sum;
  private int classes;

  void add(long truePositives, long falsePositives, long falseNegatives) {
    long occurrences = truePositives + falsePositives + falseNegatives;
    if (occurrences > 0) {
      sum += 2.0 * truePositives / (2.0 * truePositives + falsePositives + falseNegatives);
      classes++;
    }
  }

  double value() {
    return classes == 0 ? Double.NaN : sum / classes;
  }
}
