package io.streamgrad.learn.drift;

/**
 * What a model watches for, as its model file says: a drift detector and the reaction to a drift
 * ({@code "drift"}, {@code "on_drift"}), and divergence ({@code "divergence"}).
 *
 * @param drift the detector's settings, or null for no drift detection
 * @param divergence the divergence settings, or null when the model file turned it off
 */
public record Monitoring(DriftSettings drift, OnDrift onDrift, DivergenceSettings divergence) {
  /** No drift detection; divergence watched with its defaults. */
  public static final Monitoring DEFAULT =
      new Monitoring(null, OnDrift.NONE, DivergenceSettings.DEFAULT);

  public Monitoring {
    if (onDrift == null) {
      throw new IllegalArgumentException("on_drift: missing");
    }
    if (drift == null && onDrift != OnDrift.NONE) {
      throw new IllegalArgumentException(
          "on_drift: '" + onDrift.fileName() + "' needs a \"drift\" detector to react to");
    }
  }
}
