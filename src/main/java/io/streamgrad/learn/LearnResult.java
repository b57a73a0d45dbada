package io.streamgrad.learn;

import io.streamgrad.nn.Trainer;

/**
 * What the learner made of one sample: the prediction made before training on it (honest,
 * progressive validation), the loss of that prediction when labelled, and what training did.
 *
 * @param decision the decided class for classifiers, or null
 * @param loss the loss of the prediction, or null for an unlabelled sample
 * @param step the optimizer steps taken by the model that made the prediction
 * @param outcome null for an unlabelled sample
 */
public record LearnResult(
    String sampleId,
    double[] outputs,
    Integer decision,
    double[] label,
    Double loss,
    long step,
    int version,
    Trainer.Outcome outcome) {}
