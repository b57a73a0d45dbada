package io.streamgrad.learn;

/**
 * One sample: an id, its features, and a label (one number, or one per output), or null when it is
 * only to be predicted. eventTime is epoch milliseconds, or 0 when unknown.
 */
public record Sample(String id, double[] features, double[] label, long eventTime) {
  public boolean isLabelled() {
    return label != null;
  }
}
