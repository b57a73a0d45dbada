package io.streamgrad.learn;

/**
 * The label of a sample predicted earlier, sent on its own (docs/topics.md, "Labels"): the sample's
 * id, the label (one number, or one per output, as a sample's), and its event time in epoch
 * milliseconds (0 when unknown).
 */
public record Label(String sampleId, double[] value, long eventTime) {}
