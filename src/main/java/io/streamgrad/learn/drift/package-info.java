/**
 * Watching a model's per-sample loss for trouble: change detectors ({@link
 * io.streamgrad.learn.drift.Adwin}, {@link io.streamgrad.learn.drift.PageHinkley}) that tell when
 * the loss has risen for good (the data drifted), and the {@link
 * io.streamgrad.learn.drift.DivergenceWatch} that tells when training itself runs away. Each keeps
 * its whole state so that a checkpointed learner resumes them bit for bit; the settings are the
 * model file's {@code drift}, {@code on_drift} and {@code divergence} fields ({@link
 * io.streamgrad.learn.drift.Monitoring}). Pure arithmetic on doubles: no I/O.
 */
package io.streamgrad.learn.drift;
