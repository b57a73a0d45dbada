package io.streamgrad.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * The progressive-validation table Vowpal Wabbit made familiar: average loss, loss since the last
 * line, samples, the current label and prediction; a line at 1, 2, 4, 8, ... samples. Over a file
 * of known size it also shows how much of the file is done and an estimate of the time left.
 */
public final class ProgressTable {
  private final PrintStream out;
  private double lossSum;
  private long lossCount;
  private double sinceLastSum;
  private long sinceLastCount;
  private long samples;
  private long nextLine = 1;
  private final boolean showsDone;
  private final long start = System.nanoTime();

  /** Share of the input done, 0 to 1, when showsDone. */
  private double done;

  public ProgressTable(PrintStream out) {
    this(out, false);
  }

  /**
   * @param showsDone also a column of how much of the input is done and the time left (set by
   *     {@link #done})
   */
  public ProgressTable(PrintStream out, boolean showsDone) {
    this.out = out;
    this.showsDone = showsDone;
    out.printf(
        Locale.ROOT,
        "%-12s %-12s %10s %12s %12s%s%n",
        "average",
        "since",
        "example",
        "current",
        "current",
        showsDone ? String.format(Locale.ROOT, " %7s %9s", "done", "time") : "");
    out.printf(
        Locale.ROOT,
        "%-12s %-12s %10s %12s %12s%s%n",
        "loss",
        "last",
        "counter",
        "label",
        "predict",
        showsDone ? String.format(Locale.ROOT, " %7s %9s", "", "left") : "");
  }

  /** One sample: its loss (null when unlabelled), label and prediction as shown. */
  public void add(Double loss, String label, String prediction) {
    if (addLoss(loss)) {
      printLine(label, prediction);
    }
  }

  /**
   * One sample's loss (null when unlabelled); true when a line is due, which the caller then prints
   * with {@link #printLine}. So the label and prediction cells are made for the lines shown only:
   * formatting them for every sample cost more than training on it.
   */
  public boolean addLoss(Double loss) {
    samples++;
    if (loss != null && Double.isFinite(loss)) {
      lossSum += loss;
      lossCount++;
      sinceLastSum += loss;
      sinceLastCount++;
    }
    if (samples >= nextLine) {
      nextLine *= 2;
      return true;
    }
    return false;
  }

  /** How much of the input is done, 0 to 1 (for a file: bytes read of its size). */
  public void done(double share) {
    this.done = share;
  }

  /** Prints a line for the current state whatever the interval (e.g. at the end). */
  public void printLine(String label, String prediction) {
    out.printf(
        Locale.ROOT,
        "%-12s %-12s %10d %12s %12s%s%n",
        format(lossSum, lossCount),
        format(sinceLastSum, sinceLastCount),
        samples,
        label,
        prediction,
        showsDone ? String.format(Locale.ROOT, " %6.1f%% %9s", 100 * done, timeLeft()) : "");
    sinceLastSum = 0;
    sinceLastCount = 0;
  }

  /**
   * The time left if the rest goes as fast as what is done: "-" until there is a first estimate.
   */
  private String timeLeft() {
    if (done <= 0) {
      return "-";
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long seconds = Math.round(elapsed * (1 - done) / done);
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60);
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
