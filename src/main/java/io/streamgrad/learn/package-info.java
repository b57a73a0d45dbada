/**
 * One {@link io.streamgrad.learn.Learner} per model: predict a sample first, then train on it
 * (progressive validation), with its running statistics ({@link io.streamgrad.learn.RunningStats}).
 * A learner's whole state has two forms: the JSON model file ({@link
 * io.streamgrad.learn.ModelFile}, for export, import and warm starts) and the binary checkpoint
 * ({@link io.streamgrad.learn.LearnerCodec}, for the changelog). The same classes run in the stream
 * and in {@code replay}, which is why the two give bit-identical models. Depends on {@code nn}
 * only.
 */
package io.streamgrad.learn;
