package io.streamgrad.learn.drift;

/**
 * Page-Hinkley's parameters (docs/model-file.md, "Drift"), with MOA's and River's defaults.
 *
 * @param minInstances values seen since the last detection before a detection may be made
 * @param delta the magnitude of change tolerated: each value adds x − x̄ − δ to the cumulative sum
 * @param threshold λ: a detection when the sum has risen more than λ above its minimum
 * @param alpha the fading factor of the cumulative sum (1: no fading)
 */
public record PageHinkleySettings(int minInstances, double delta, double threshold, double alpha)
    implements DriftSettings {
  public static final PageHinkleySettings DEFAULT =
      new PageHinkleySettings(30, 0.005, 50.0, 1.0 - 0.0001);

  public PageHinkleySettings {
    DriftSettings.requireAtLeast("min_instances", minInstances, 1);
    if (!(delta >= 0.0) || !Double.isFinite(delta)) {
      throw new IllegalArgumentException("drift.delta must be a finite number >= 0, got " + delta);
    }
    if (!(threshold > 0.0) || !Double.isFinite(threshold)) {
      throw new IllegalArgumentException(
          "drift.threshold must be a finite number > 0, got " + threshold);
    }
    DriftSettings.requireRange("alpha", alpha, 0.0, 1.0);
  }

  @Override
  public DriftDetector newDetector() {
    return new PageHinkley(this);
  }

  @Override
  public String detector() {
    return "page_hinkley";
  }
}
