package io.streamgrad.learn;

/**
 * What a model served for a sample whose label comes later, kept until the label arrives: the input
 * vector the network took, the outputs and decision it served (with the output layer's logits, so
 * that the served loss is computed exactly as for a sample that carried its label), the step and
 * spec version of the model that served, the sample's weight and the sample record's time.
 *
 * @param decision the decided class of a classifier, or null
 */
public record Served(
    double[] input,
    double[] outputs,
    double[] logits,
    Integer decision,
    long step,
    int version,
    double weight,
    long time) {}
