package io.streamgrad.learn;

import io.streamgrad.learn.drift.DivergenceWatch;
import io.streamgrad.learn.drift.DriftDetector;
import io.streamgrad.learn.drift.Monitoring;

/**
 * A learner's watch over its own loss and outputs: the drift detector, the divergence watch, and
 * what their reactions changed (the learning-rate scale, the number of model resets). All of it is
 * learner state, checkpointed in sections 7 and 8 of {@link LearnerCodec}.
 */
final class Monitor {
  /** Mixes the reset count into the seed (the 64-bit golden ratio, as SplittableRandom steps). */
  static final long RESET_SEED_STEP = 0x9E3779B97F4A7C15L;

  final Monitoring settings;
  DriftDetector detector;
  DivergenceWatch divergence;

  /** The factor on the spec's learning rate; divergences with scale_learning_rate shrink it. */
  double learningRateScale = 1.0;

  /** Models drawn afresh by on_drift: reset_model, which seeds the next draw. */
  long resets;

  long drifts;
  long divergences;

  Monitor(Monitoring settings) {
    this.settings = settings;
    this.detector = settings.drift() == null ? null : settings.drift().newDetector();
    this.divergence =
        settings.divergence() == null ? null : new DivergenceWatch(settings.divergence());
  }

  /** Starts the detectors over, for a model drawn afresh: its learning curve is no drift. */
  void restartWatches() {
    detector = settings.drift() == null ? null : settings.drift().newDetector();
    divergence = settings.divergence() == null ? null : new DivergenceWatch(settings.divergence());
  }

  boolean watchesOutputs() {
    return divergence != null && divergence.settings().outputLimit() != Double.POSITIVE_INFINITY;
  }

  /** The seed of the r-th model drawn by reset_model (r = 1 for the first reset). */
  static long resetSeed(long seed, long reset) {
    return seed + reset * RESET_SEED_STEP;
  }
}
