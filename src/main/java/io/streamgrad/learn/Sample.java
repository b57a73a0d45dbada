package io.streamgrad.learn;

/**
 * One sample: an id, its features, and a label (one number, or one per output), or null when it is
 * only to be predicted. eventTime is epoch milliseconds, or 0 when unknown. weight scales the
 * sample's share of the gradient (1 when the producer gave none; 0 predicts and scores without
 * moving the model).
 */
public record Sample(String id, double[] features, double[] label, long eventTime, double weight) {
  /** A sample of weight 1. */
  public Sample(String id, double[] features, double[] label, long eventTime) {
    this(id, features, label, eventTime, 1.0);
  }

  public boolean isLabelled() {
    return label != null;
  }
}
