package io.streamgrad.learn;

/**
 * The delayed-label counters of one model since its spec version was applied: labels applied,
 * pending samples that expired or were dropped, and the delays of applied labels (their mean, and a
 * high percentile from a log-scale histogram). Part of the learner's checkpoint, so the counts of
 * the loss reports never go backwards across a restart.
 *
 * <p>The histogram has 8 buckets per power of two of milliseconds: a percentile is exact below 8 ms
 * and within 12.5% above, in constant memory and with no wall clock, so the stream and replay
 * agree.
 */
public final class LabelStats {
  private static final int SUB_BUCKETS = 8;
  private static final int SUB_BITS = 3;
  private static final int BUCKETS = 1 + 64 * SUB_BUCKETS;

  long applied;
  long expired;
  long dropped;
  double delaySum;
  long delayMax;
  private long[] histogram;

  /** Labels applied (each one outcome). */
  public long applied() {
    return applied;
  }

  /** Pending samples whose label did not come within the model's {@code label_wait_ms}. */
  public long expired() {
    return expired;
  }

  /** Pending samples dropped to keep the task's pending store within its bytes. */
  public long dropped() {
    return dropped;
  }

  /** The mean delay of applied labels in ms, NaN before the first. */
  public double meanDelayMs() {
    return applied == 0 ? Double.NaN : delaySum / applied;
  }

  /**
   * The delay that this fraction of applied labels did not exceed, in ms (the upper end of its
   * histogram bucket, at most the largest delay seen); NaN before the first label.
   */
  public double delayPercentileMs(double fraction) {
    if (applied == 0 || histogram == null) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(fraction * applied));
    long seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
      seen += histogram[b];
      if (seen >= rank) {
        return Math.min(upperBound(b), (double) delayMax);
      }
    }
    return delayMax;
  }

  /** True when nothing was counted: the checkpoint then leaves the section out. */
  boolean isEmpty() {
    return applied == 0 && expired == 0 && dropped == 0;
  }

  void recordApplied(long delayMs) {
    long delay = Math.max(0, delayMs);
    applied++;
    delaySum += delay;
    delayMax = Math.max(delayMax, delay);
    if (histogram == null) {
      histogram = new long[BUCKETS];
    }
    histogram[bucket(delay)]++;
  }

  public void recordExpired() {
    expired++;
  }

  public void recordDropped() {
    dropped++;
  }

  static int bucket(long delay) {
    if (delay == 0) {
      return 0;
    }
    int e = 63 - Long.numberOfLeadingZeros(delay);
    if (e < SUB_BITS) {
      return 1 + e * SUB_BUCKETS + (int) (delay - (1L << e));
    }
    return 1 + e * SUB_BUCKETS + (int) ((delay >>> (e - SUB_BITS)) & (SUB_BUCKETS - 1));
  }

  static double upperBound(int bucket) {
    if (bucket == 0) {
      return 0;
    }
    int e = (bucket - 1) / SUB_BUCKETS;
    int sub = (bucket - 1) % SUB_BUCKETS;
    if (e < SUB_BITS) {
      return (1L << e) + sub;
    }
    double width = Math.pow(2, e - SUB_BITS);
    return (SUB_BUCKETS + sub) * width + width - 1;
  }

  void writeTo(StateWriter out) {
    out.putLong(applied).putLong(expired).putLong(dropped).putDouble(delaySum).putLong(delayMax);
    int used = 0;
    if (histogram != null) {
      for (long count : histogram) {
        used += count > 0 ? 1 : 0;
      }
    }
    out.putInt(used);
    for (int b = 0; used > 0 && b < BUCKETS; b++) {
      if (histogram[b] > 0) {
        out.putInt(b).putLong(histogram[b]);
      }
    }
  }

  void readFrom(StateReader in) {
    applied = in.getLong();
    expired = in.getLong();
    dropped = in.getLong();
    delaySum = in.getDouble();
    delayMax = in.getLong();
    int used = in.getInt();
    if (used < 0 || used > BUCKETS) {
      throw new IllegalArgumentException("label stats: " + used + " histogram buckets");
    }
    histogram = used == 0 ? null : new long[BUCKETS];
    for (int i = 0; i < used; i++) {
      int b = in.getInt();
      if (b < 0 || b >= BUCKETS) {
        throw new IllegalArgumentException("label stats: bucket " + b + " out of range");
      }
      histogram[b] = in.getLong();
    }
  }
}
