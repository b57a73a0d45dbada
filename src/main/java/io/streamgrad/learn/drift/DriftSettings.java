package io.streamgrad.learn.drift;

/** The model file's {@code "drift"} object: which detector, with which parameters. */
public sealed interface DriftSettings permits AdwinSettings, PageHinkleySettings {

  /** A detector with these settings and no history. */
  DriftDetector newDetector();

  /** The detector's name in the model file. */
  String detector();

  static void requireRange(String field, double value, double above, double atMost) {
    if (!(value > above && value <= atMost)) {
      throw new IllegalArgumentException(
          "drift." + field + " must lie in (" + above + ", " + atMost + "], got " + value);
    }
  }

  static void requireAtLeast(String field, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(
          "drift." + field + " must be >= " + min + ", got " + value);
    }
  }
}
