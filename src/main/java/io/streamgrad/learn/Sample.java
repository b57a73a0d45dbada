package io.streamgrad.learn;

import java.util.Map;

/**
 * One sample: an id, its features, and a label (one number, or one per output), or null when it is
 * only to be predicted. eventTime is epoch milliseconds, or 0 when unknown. weight scales the
 * sample's share of the gradient (1 when the producer gave none; 0 predicts and scores without
 * moving the model).
 *
 * @param features the features as an array, or null for a sample that names them
 * @param namedFeatures the features by name (values Double, String, Boolean or null), or null for a
 *     sample that gives an array; a model with {@code inputs} encodes them
 */
public record Sample(
    String id,
    double[] features,
    double[] label,
    long eventTime,
    double weight,
    Map<String, Object> namedFeatures) {
  /** A sample of array features. */
  public Sample(String id, double[] features, double[] label, long eventTime, double weight) {
    this(id, features, label, eventTime, weight, null);
  }

  /** A sample of array features and weight 1. */
  public Sample(String id, double[] features, double[] label, long eventTime) {
    this(id, features, label, eventTime, 1.0);
  }

  /** A sample of named features. */
  public static Sample named(
      String id, Map<String, Object> namedFeatures, double[] label, long eventTime, double weight) {
    return new Sample(id, null, label, eventTime, weight, namedFeatures);
  }

  public boolean isLabelled() {
    return label != null;
  }

  public boolean isNamed() {
    return namedFeatures != null;
  }
}
