package io.streamgrad.learn;

import io.streamgrad.nn.Architecture;
import io.streamgrad.nn.Decision;
import io.streamgrad.nn.LrSchedule;
import io.streamgrad.nn.Mlp;
import io.streamgrad.nn.OptimizerState;
import io.streamgrad.nn.Trainer;

/**
 * One model learning from a stream: for each sample, validate it, predict with the current weights,
 * and if it is labelled, score that prediction (progressive validation: the model has not seen the
 * sample yet) and train on it. The same class runs in the Kafka Streams topology and in the offline
 * replay, which is why the two give bit-identical models.
 */
public final class Learner {
  private final ModelSpec spec;
  private final Trainer trainer;
  private final RunningStats stats;

  Learner(ModelSpec spec, Trainer trainer, RunningStats stats) {
    this.spec = spec;
    this.trainer = trainer;
    this.stats = stats;
  }

  /** A learner starting from the spec's weights, or from weights drawn from its seed. */
  public static Learner create(ModelSpec spec, StatsSettings settings) {
    Mlp mlp = new Mlp(spec.architecture(), spec.initialParameters());
    OptimizerState state =
        spec.optimizerState() != null
            ? spec.optimizerState().copy()
            : new OptimizerState(spec.parameters() != null ? spec.steps() : 0, null, null);
    Trainer trainer =
        new Trainer(
            mlp,
            spec.optimizer(),
            spec.lrSchedule(),
            spec.classWeights(),
            state,
            spec.minibatch(),
            spec.clipNorm(),
            null,
            0);
    return new Learner(
        spec.withoutStartingPoint(), trainer, new RunningStats(settings, spec.architecture()));
  }

  public ModelSpec spec() {
    return spec;
  }

  public Architecture architecture() {
    return spec.architecture();
  }

  public RunningStats stats() {
    return stats;
  }

  Trainer trainer() {
    return trainer;
  }

  /**
   * The learning rate the next optimizer step will use (the schedule's rate at the current step
   * count, or the optimizer's constant one): what loss reports, {@code /models} and the dashboard
   * show.
   */
  public double learningRate() {
    return trainer.learningRate();
  }

  /**
   * True when the step after this many steps starts a new cycle of a {@code cosine_warm_restarts}
   * schedule (its rate jumps back to the base rate); false for every other schedule.
   */
  public boolean scheduleRestartsAt(long step) {
    return spec.lrSchedule() instanceof LrSchedule.CosineWarmRestarts cosine
        && cosine.restartsAt(step);
  }

  /** Optimizer steps taken so far. */
  public long steps() {
    return trainer.state().steps();
  }

  /** Why this sample cannot be used by this model, or null when it can. */
  public Rejection validate(Sample sample) {
    Architecture arch = spec.architecture();
    double[] x = sample.features();
    if (x == null || x.length != arch.inputs()) {
      return new Rejection(
          ReasonCode.WRONG_FEATURE_COUNT,
          "model '"
              + spec.model()
              + "' takes "
              + arch.inputs()
              + " features, sample '"
              + sample.id()
              + "' has "
              + (x == null ? 0 : x.length));
    }
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i])) {
        return new Rejection(
            ReasonCode.NON_FINITE_FEATURE,
            "sample '" + sample.id() + "': feature " + i + " is " + x[i]);
      }
    }
    double weight = sample.weight();
    if (!(weight >= 0.0) || !Double.isFinite(weight)) {
      return new Rejection(
          ReasonCode.BAD_WEIGHT,
          "sample '" + sample.id() + "': weight must be a finite number >= 0, got " + weight);
    }
    double[] label = sample.label();
    if (label != null) {
      for (double y : label) {
        if (!Double.isFinite(y)) {
          return new Rejection(
              ReasonCode.NON_FINITE_LABEL, "sample '" + sample.id() + "': label is " + y);
        }
      }
      String problem = arch.loss().checkTarget(label, arch.outputs());
      if (problem != null) {
        return new Rejection(ReasonCode.BAD_LABEL, "sample '" + sample.id() + "': " + problem);
      }
    }
    return null;
  }

  /**
   * Predicts, scores and trains on one sample.
   *
   * @throws RejectedException when the sample cannot be used; nothing changes then
   */
  public LearnResult learn(Sample sample) {
    Rejection rejection = validate(sample);
    if (rejection != null) {
      throw new RejectedException(rejection.reason(), rejection.message());
    }
    long stepBefore = steps();
    double[] outputs = trainer.forward(sample.features()).clone();
    Architecture arch = spec.architecture();
    int decided = Decision.of(arch, outputs);
    Integer decision = decided == Decision.NONE ? null : decided;
    if (!sample.isLabelled()) {
      stats.recordUnlabelled();
      return new LearnResult(
          sample.id(), outputs, decision, null, null, stepBefore, spec.version(), null);
    }
    double[] target = sample.label();
    Mlp mlp = trainer.mlp();
    double loss = mlp.loss(target);
    if (Double.isFinite(loss)) {
      Boolean wrong = decision == null ? null : decided != Decision.ofTarget(arch, target);
      stats.recordLabelled(loss, wrong, outputs, target);
    } else {
      stats.recordUnlabelled();
    }
    Trainer.Outcome outcome = trainer.trainOnLastForward(target, loss, sample.weight());
    if (outcome == Trainer.Outcome.REFUSED) {
      stats.recordRefused();
    }
    return new LearnResult(
        sample.id(), outputs, decision, target, loss, stepBefore, spec.version(), outcome);
  }

  /** What the model says of one sample: its outputs, and the decided class or null. */
  public record Prediction(double[] outputs, Integer decision) {}

  /**
   * Predicts one sample without learning from it: neither the weights, the optimizer state nor the
   * statistics change, so a copy decoded from the committed state can answer queries. Not
   * thread-safe: the forward pass writes the network's activation buffers.
   *
   * @throws RejectedException when the features cannot be used (count, non-finite values)
   */
  public Prediction predict(double[] features) {
    Rejection rejection = validate(new Sample("", features, null, 0));
    if (rejection != null) {
      throw new RejectedException(rejection.reason(), rejection.message());
    }
    double[] outputs = trainer.forward(features).clone();
    int decided = Decision.of(spec.architecture(), outputs);
    return new Prediction(outputs, decided == Decision.NONE ? null : decided);
  }

  /** A copy of the current parameters, safe to hand to another thread. */
  public double[] parametersCopy() {
    return trainer.mlp().canonicalParameters();
  }

  /** The model file (docs/model-file.md) of the current weights and optimizer state. */
  public String modelFile() {
    return ModelFile.write(spec, trainer.mlp().canonicalParameters(), trainer.state());
  }
}
