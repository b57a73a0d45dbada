package io.streamgrad.learn.drift;

/**
 * What a model watches for, as its model file says: a drift detector and the reaction to a drift
 * ({@code "drift"}, {@code "on_drift"}), and divergence ({@code "divergence"}).
 *
 * @param drift the detector's settings, or null for no drift detection
 * @param divergence the divergence settings, or null for no divergence detection
 */
public record Monitoring(DriftSettings drift, OnDrift onDrift, DivergenceSettings divergence) {
  /** Nothing watched: a model file without these fields trains exactly as before they existed. */
  public static final Monitoring DEFAULT = new Monitoring(null, OnDrift.NONE, null);

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
