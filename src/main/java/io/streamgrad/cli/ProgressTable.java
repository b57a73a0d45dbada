package io.streamgrad.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * The progressive-validation table Vowpal Wabbit made familiar: average loss, loss since the last
 * line, samples, the current label and prediction; a line at 1, 2, 4, 8, ... samples.
 */
public final class ProgressTable {
  private final PrintStream out;
  private double lossSum;
  private long lossCount;
  private double sinceLastSum;
  private long sinceLastCount;
  private long samples;
  private long nextLine = 1;

  public ProgressTable(PrintStream out) {
    this.out = out;
    out.printf(
        Locale.ROOT,
        "%-12s %-12s %10s %12s %12s%n",
        "average",
        "since",
        "example",
        "current",
        "current");
    out.printf(
        Locale.ROOT, "%-12s %-12s %10s %12s %12s%n", "loss", "last", "counter", "label", "predict");
  }

  /** One sample: its loss (null when unlabelled), label and prediction as shown. */
  public void add(Double loss, String label, String prediction) {
    samples++;
    if (loss != null && Double.isFinite(loss)) {
      lossSum += loss;
      lossCount++;
      sinceLastSum += loss;
      sinceLastCount++;
    }
    if (samples >= nextLine) {
      printLine(label, prediction);
      nextLine *= 2;
    }
  }

  /** Prints a line for the current state whatever the interval (e.g. at the end). */
  public void printLine(String label, String prediction) {
    out.printf(
        Locale.ROOT,
        "%-12s %-12s %10d %12s %12s%n",
        format(lossSum, lossCount),
        format(sinceLastSum, sinceLastCount),
        samples,
        label,
        prediction);
    sinceLastSum = 0;
    sinceLastCount = 0;
  }

  public double averageLoss() {
    return lossCount == 0 ? Double.NaN : lossSum / lossCount;
  }

  public long samples() {
    return samples;
  }

  private static String format(double sum, long count) {
    return count == 0 ? "n/a" : String.format(Locale.ROOT, "%.6f", sum / count);
  }

  /** A label or prediction as one short cell: a class, a number, or a short vector. */
  public static String cell(Integer decision, double[] values) {
    if (decision != null) {
      return String.valueOf(decision);
    }
    if (values == null) {
      return "unknown";
    }
    if (values.length == 1) {
      return String.format(Locale.ROOT, "%.4f", values[0]);
    }
    String text =
        Arrays.toString(Arrays.stream(values).map(v -> Math.round(v * 1e3) / 1e3).toArray());
    return text.length() > 12 ? text.substring(0, 11) + "…" : text;
  }
}
