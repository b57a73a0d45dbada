package io.streamgrad.learn;

import io.streamgrad.nn.Trainer;

/**
 * What the learner made of a late label: the served prediction it scored, the loss of that
 * prediction (null when not finite), and the model that trained on the stored input.
 *
 * @param trainedStep optimizer steps of the model before it trained on the stored input
 * @param delayMs the label's record time minus the sample's, 0 when the label came first
 */
public record LabelResult(
    String sampleId,
    Served served,
    double[] label,
    Double loss,
    long trainedStep,
    int trainedVersion,
    Trainer.Outcome outcome,
    long delayMs) {}
