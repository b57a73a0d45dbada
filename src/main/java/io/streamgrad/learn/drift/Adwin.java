package io.streamgrad.learn.drift;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ADWIN2 (Bifet and Gavaldà, 2007, "Learning from Time-Changing Data with Adaptive Windowing"):
 * keeps a window of the most recent losses, as long as no two parts of it have means that differ
 * more than chance allows, and drops its oldest part when they do.
 *
 * <p>The window is an exponential histogram: row r holds up to M buckets of 2^r values each, a
 * bucket being the values' sum and their sum of squared deviations from their mean; when a row
 * holds M + 1 buckets its two oldest merge into one bucket of the next row. Memory and the cut test
 * are O(M log W) for a window of W values.
 *
 * <p>The cut test, run every {@code clock} values, splits the window at each bucket boundary into
 * an older part W0 (n0 values, mean μ0) and a newer part W1 (n1, μ1) and cuts when |μ0 − μ1| &gt;
 * ε_cut, the paper's bound for ADWIN2 with the window's variance σ²_W:
 *
 * <pre>
 *   1/m = 1/n0 + 1/n1,   δ' = δ / ln W,
 *   ε_cut = √(2/m · σ²_W · ln(2/δ')) + 2/(3m) · ln(2/δ')
 * </pre>
 *
 * <p>A cut drops the oldest bucket and the test runs again, until no split passes it. Every cut
 * shrinks the window (that is how ADWIN follows a change either way), but only a cut where the
 * newer part's mean is the higher is a drift: a falling loss is the model learning. And one change
 * is one drift: as evidence builds up after a change, ADWIN cuts again, dropping more of the data
 * from before it. The newest split that shows the rise marks where the drift began; a later rise
 * whose first passing split starts its newer part there or before is that same drift, and is not
 * signalled again.
 */
public final class Adwin implements DriftDetector {
  /** Rows 0..63: 2^63 values would take centuries at a million values a second. */
  private static final int MAX_ROWS = 63;

  private final AdwinSettings settings;

  /** totals[r][k], deviations[r][k]: bucket k (0 the oldest) of row r; counts[r] buckets used. */
  private final double[][] totals = new double[MAX_ROWS][];

  private final double[][] deviations = new double[MAX_ROWS][];
  private final int[] counts = new int[MAX_ROWS];
  private int rows;

  private long tick;

  /** The value (counted by tick) after which the last drift's newer part began; -1: none yet. */
  private long driftStart = -1;

  private long width;
  private double total;

  /** Σ (x − mean)² over the window (Welford's M2), so σ²_W = deviation / width. */
  private double deviation;

  private final Map<String, Double> evidence = new LinkedHashMap<>();

  Adwin(AdwinSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "adwin";
  }

  /** Values in the window. */
  public long width() {
    return width;
  }

  /** The mean of the window, or NaN when it is empty. */
  public double mean() {
    return width == 0 ? Double.NaN : total / width;
  }

  @Override
  public boolean add(double loss) {
    insert(loss);
    tick++;
    if (tick % settings.clock() != 0 || width < 2L * settings.minWindow()) {
      return false;
    }
    return cut();
  }

  private void insert(double x) {
    if (width > 0) {
      double delta = x - total / width;
      deviation += delta * delta * width / (width + 1);
    }
    width++;
    total += x;
    append(0, x, 0.0);
    for (int r = 0; r < rows && counts[r] > settings.maxBuckets(); r++) {
      mergeOldestTwo(r);
    }
  }

  private void append(int row, double sum, double dev) {
    if (row == rows) {
      if (rows == MAX_ROWS) {
        throw new IllegalStateException("ADWIN window is full");
      }
      totals[row] = new double[settings.maxBuckets() + 1];
      deviations[row] = new double[settings.maxBuckets() + 1];
      rows++;
    }
    totals[row][counts[row]] = sum;
    deviations[row][counts[row]] = dev;
    counts[row]++;
  }

  /**
   * Two buckets of n values each become one of 2n: the sums add, and the deviations add with the
   * between-bucket term n·n/(2n)·(μa − μb)² (Chan et al.'s pairwise update).
   */
  private void mergeOldestTwo(int row) {
    double n = bucketSize(row);
    double[] t = totals[row];
    double[] d = deviations[row];
    double meanDifference = t[0] / n - t[1] / n;
    double merged = d[0] + d[1] + n * n * meanDifference * meanDifference / (n + n);
    double sum = t[0] + t[1];
    shiftOut(row, 2);
    append(row + 1, sum, merged);
  }

  private void shiftOut(int row, int buckets) {
    int left = counts[row] - buckets;
    System.arraycopy(totals[row], buckets, totals[row], 0, left);
    System.arraycopy(deviations[row], buckets, deviations[row], 0, left);
    counts[row] = left;
  }

  private static double bucketSize(int row) {
    return (double) (1L << row);
  }

  /** Runs the cut test until no split passes it; true when one of the cuts was a new rise. */
  private boolean cut() {
    boolean rose = false;
    boolean again = true;
    while (again && width >= 2L * settings.minWindow()) {
      again = false;
      double variance = Math.max(0.0, deviation / width);
      double logTerm = logTerm(width, settings.delta());
      long n0 = 0;
      double sum0 = 0.0;
      scan:
      for (int r = rows - 1; r >= 0; r--) {
        long size = 1L << r;
        for (int k = 0; k < counts[r]; k++) {
          n0 += size;
          sum0 += totals[r][k];
          long n1 = width - n0;
          if (n1 == 0) {
            break scan;
          }
          if (n0 < settings.minWindow() || n1 < settings.minWindow()) {
            continue;
          }
          double mean0 = sum0 / n0;
          double mean1 = (total - sum0) / n1;
          if (Math.abs(mean0 - mean1) > cutBound(n0, n1, variance, logTerm)) {
            if (!rose && mean1 > mean0 && tick - n1 > driftStart) {
              rose = true;
              recordLatestRise(variance);
            }
            dropOldest();
            again = true;
            break scan;
          }
        }
      }
    }
    if (rose) {
      evidence.put("window", (double) width);
    }
    return rose;
  }

  /**
   * Takes the newest split that passes the test with a rise as where the drift began, for its
   * evidence and so that the cuts that follow it (dropping more of the data from before it) are
   * known to be the same drift.
   */
  private void recordLatestRise(double variance) {
    double logTerm = logTerm(width, settings.delta());
    long n0 = 0;
    double sum0 = 0.0;
    for (int r = rows - 1; r >= 0; r--) {
      long size = 1L << r;
      for (int k = 0; k < counts[r]; k++) {
        n0 += size;
        sum0 += totals[r][k];
        long n1 = width - n0;
        if (n1 == 0 || n0 < settings.minWindow() || n1 < settings.minWindow()) {
          continue;
        }
        double mean0 = sum0 / n0;
        double mean1 = (total - sum0) / n1;
        double bound = cutBound(n0, n1, variance, logTerm);
        if (mean1 - mean0 > bound) {
          driftStart = tick - n1;
          evidence.clear();
          evidence.put("statistic", mean1 - mean0);
          evidence.put("threshold", bound);
          evidence.put("mean_before", mean0);
          evidence.put("mean_after", mean1);
          evidence.put("count_before", (double) n0);
          evidence.put("count_after", (double) n1);
        }
      }
    }
  }

  /**
   * ε_cut for a split into n0 older and n1 newer values of a window of n values with variance σ²
   * (the paper's ADWIN2 bound, δ' = δ/ln n). StrictMath: the same bits on every JVM, so that a
   * replay elsewhere detects at the same value.
   */
  static double cutBound(long n0, long n1, double variance, long n, double delta) {
    return cutBound(n0, n1, variance, logTerm(n, delta));
  }

  /** ln(2/δ') = ln(2 ln n / δ): the same for every split of a window, so worked out once. */
  static double logTerm(long n, double delta) {
    return StrictMath.log(2.0 * StrictMath.log((double) n) / delta);
  }

  private static double cutBound(long n0, long n1, double variance, double logTerm) {
    double inverseM = 1.0 / n0 + 1.0 / n1;
    return Math.sqrt(2.0 * inverseM * variance * logTerm) + 2.0 / 3.0 * inverseM * logTerm;
  }

  private void dropOldest() {
    int row = rows - 1;
    double n = bucketSize(row);
    double sum = totals[row][0];
    double dev = deviations[row][0];
    width -= (long) n;
    total -= sum;
    if (width == 0) {
      total = 0.0;
      deviation = 0.0;
    } else {
      double meanDifference = sum / n - total / width;
      deviation -= dev + n * width * meanDifference * meanDifference / (n + width);
    }
    shiftOut(row, 1);
    if (counts[row] == 0) {
      rows--;
    }
  }

  @Override
  public Map<String, Double> evidence() {
    return new LinkedHashMap<>(evidence);
  }

  @Override
  public double[] state() {
    int size = 6;
    for (int r = 0; r < rows; r++) {
      size += 1 + 2 * counts[r];
    }
    double[] state = new double[size];
    int i = 0;
    state[i++] = tick;
    state[i++] = driftStart;
    state[i++] = width;
    state[i++] = total;
    state[i++] = deviation;
    state[i++] = rows;
    for (int r = 0; r < rows; r++) {
      state[i++] = counts[r];
      for (int k = 0; k < counts[r]; k++) {
        state[i++] = totals[r][k];
        state[i++] = deviations[r][k];
      }
    }
    return state;
  }

  @Override
  public void restore(double[] state) {
    try {
      int i = 0;
      tick = (long) state[i++];
      driftStart = (long) state[i++];
      width = (long) state[i++];
      total = state[i++];
      deviation = state[i++];
      int restoredRows = (int) state[i++];
      if (restoredRows < 0 || restoredRows > MAX_ROWS) {
        throw new IllegalArgumentException("ADWIN state has " + restoredRows + " rows");
      }
      rows = 0;
      Arrays.fill(counts, 0);
      for (int r = 0; r < restoredRows; r++) {
        int buckets = (int) state[i++];
        if (buckets < 1 || buckets > settings.maxBuckets()) {
          throw new IllegalArgumentException("ADWIN state has " + buckets + " buckets in a row");
        }
        for (int k = 0; k < buckets; k++) {
          append(r, state[i], state[i + 1]);
          i += 2;
        }
      }
      if (i != state.length) {
        throw new IllegalArgumentException(
            "ADWIN state has " + (state.length - i) + " extra values");
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("ADWIN state is truncated", e);
    }
  }
}
