/**
 * A model's named inputs (the model file's {@code inputs}): what each is ({@link
 * io.streamgrad.learn.inputs.InputSpec}), how a sample's values become the network's input vector
 * and how the running statistics that scale them are kept ({@link
 * io.streamgrad.learn.inputs.Preprocessor}), the hash of hashed categories ({@link
 * io.streamgrad.learn.inputs.Murmur3}), and a named sample's values field by field as the fast
 * readers give them ({@link io.streamgrad.learn.inputs.NamedValues}). Pure arithmetic on values
 * already decoded: no I/O, no JSON, nothing of the rest of {@code learn}, so that the learner owns
 * the statistics and the stream and replay encode every sample the same way.
 */
package io.streamgrad.learn.inputs;
