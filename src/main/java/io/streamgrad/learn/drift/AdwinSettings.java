package io.streamgrad.learn.drift;

/**
 * ADWIN's parameters (docs/model-file.md, "Drift").
 *
 * @param delta the confidence δ of the cut test: smaller means fewer false alarms and later
 *     detections
 * @param clock the cut test runs every this many values (MOA's and River's default 32: the test
 *     costs a pass over the O(log W) buckets, so running it on every value would cost more than the
 *     bucket bookkeeping)
 * @param maxBuckets M, the buckets of each size kept before two merge (the paper's M; more buckets
 *     place cuts more finely at O(M log W) memory)
 * @param minWindow the fewest values either side of a cut may hold, so that a handful of unlucky
 *     losses never make a drift
 */
public record AdwinSettings(double delta, int clock, int maxBuckets, int minWindow)
    implements DriftSettings {
  public static final AdwinSettings DEFAULT = new AdwinSettings(0.002, 32, 5, 5);

  public AdwinSettings {
    DriftSettings.requireRange("delta", delta, 0.0, 1.0);
    DriftSettings.requireAtLeast("clock", clock, 1);
    DriftSettings.requireAtLeast("max_buckets", maxBuckets, 2);
    DriftSettings.requireAtLeast("min_window", minWindow, 1);
  }

  @Override
  public DriftDetector newDetector() {
    return new Adwin(this);
  }

  @Override
  public String detector() {
    return "adwin";
  }
}
