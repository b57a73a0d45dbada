package io.streamgrad.learn;

import io.streamgrad.learn.drift.OnDrift;
import io.streamgrad.learn.inputs.InputException;
import io.streamgrad.learn.inputs.Preprocessor;
import io.streamgrad.nn.Architecture;
import io.streamgrad.nn.Decision;
import io.streamgrad.nn.LrSchedule;
import io.streamgrad.nn.Mlp;
import io.streamgrad.nn.Optimizer;
import io.streamgrad.nn.OptimizerState;
import io.streamgrad.nn.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model learning from a stream: for each sample, validate it, predict with the current weights,
 * and if it is labelled, score that prediction (progressive validation: the model has not seen the
 * sample yet) and train on it. The same class runs in the Kafka Streams topology and in the offline
 * replay, which is why the two give bit-identical models.
 */
public final class Learner {
  private final ModelSpec spec;

  /** Replaced, never mutated from here, when a reaction resets the model or scales its rate. */
  private Trainer trainer;

  private final RunningStats stats;
  private final Monitor monitor;
  private final boolean watchOutputs;

  /** Delayed labels: applied, expired, dropped, their delays (checkpointed, tag 9). */
  private final LabelStats labelStats = new LabelStats();

  /**
   * Samples released from the pending store since the last {@link #reportPendingReleases}: counts
   * of one record's processing, never checkpointed.
   */
  private long releasedExpired;

  private long releasedDropped;

  /** Events since the last {@link #takeEvents}, or null when there are none. */
  private List<LearnerEvent> events;

  /** Named inputs, scaling and target scaling with their statistics; null for a plain model. */
  private final Preprocessor preprocessor;

  /** The network's input vector for the last sample learnt. */
  private double[] lastInput;

  Learner(ModelSpec spec, Trainer trainer, RunningStats stats) {
    this(spec, trainer, stats, new Monitor(spec.monitoring()));
  }

  /** A learner whose trainer steps at the spec's rate times the monitor's scale. */
  Learner(ModelSpec spec, Trainer trainer, RunningStats stats, Monitor monitor) {
    this(spec, trainer, stats, monitor, preprocessor(spec));
  }

  private Learner(
      ModelSpec spec,
      Trainer trainer,
      RunningStats stats,
      Monitor monitor,
      Preprocessor preprocessor) {
    this.preprocessor = preprocessor;
    this.spec = spec;
    this.stats = stats;
    this.monitor = monitor;
    this.watchOutputs = monitor.watchesOutputs();
    this.trainer = trainer;
    if (monitor.learningRateScale != 1.0) {
      this.trainer = rebuilt(trainer.mlp(), trainer.state());
    }
  }

  /** A learner starting from the spec's weights, or from weights drawn from its seed. */
  public static Learner create(ModelSpec spec, StatsSettings settings) {
    Mlp mlp = new Mlp(spec.architecture(), spec.initialParameters());
    OptimizerState state =
        spec.optimizerState() != null
            ? spec.optimizerState().copy()
            : new OptimizerState(spec.parameters() != null ? spec.steps() : 0, null, null);
    Trainer trainer = trainer(spec, spec.optimizer(), mlp, state, null, 0);
    ModelSpec kept = spec.withoutStartingPoint();
    return new Learner(
        kept,
        trainer,
        new RunningStats(settings, spec.architecture()),
        new Monitor(kept.monitoring()),
        preprocessor(spec));
  }

  /** The preprocessing of spec, from its starting statistics if it has some; null for none. */
  private static Preprocessor preprocessor(ModelSpec spec) {
    return spec.preprocessing() == null
        ? null
        : new Preprocessor(spec.preprocessing(), spec.architecture().outputs());
  }

  /** The live preprocessing (statistics included), or null for a model without one. */
  public Preprocessor preprocessor() {
    return preprocessor;
  }

  /** Fields of named samples that the model's inputs do not name, counted since its creation. */
  public long unnamedFields() {
    return preprocessor == null ? 0 : preprocessor.unnamedFields();
  }

  /**
   * The network's input vector for this sample as the model would take it now: the features
   * themselves, or its named or raw values encoded with the statistics of the samples learnt so
   * far. Changes nothing.
   *
   * @throws RejectedException when the features cannot be used
   */
  public double[] encode(Sample sample) {
    Architecture arch = spec.architecture();
    if (preprocessor != null && preprocessor.spec().hasInputs()) {
      try {
        return sample.isNamed()
            ? preprocessor.encode(sample.namedFeatures())
            : preprocessor.encode(sample.features() == null ? new double[0] : sample.features());
      } catch (InputException e) {
        throw new RejectedException(reason(e), "sample '" + sample.id() + "': " + e.getMessage());
      }
    }
    double[] x = sample.features();
    if (x == null || x.length != arch.inputs()) {
      throw new RejectedException(
          ReasonCode.WRONG_FEATURE_COUNT,
          "model '"
              + spec.model()
              + "' takes "
              + arch.inputs()
              + " features"
              + (sample.isNamed() ? " as an array (it declares no inputs)" : "")
              + ", sample '"
              + sample.id()
              + "' has "
              + (x == null ? (sample.isNamed() ? "named features" : "0") : x.length));
    }
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i])) {
        throw new RejectedException(
            ReasonCode.NON_FINITE_FEATURE,
            "sample '" + sample.id() + "': feature " + i + " is " + x[i]);
      }
    }
    return x;
  }

  private static ReasonCode reason(InputException e) {
    return switch (e.kind()) {
      case BAD_INPUT -> ReasonCode.BAD_INPUT;
      case NON_FINITE -> ReasonCode.NON_FINITE_FEATURE;
      case WRONG_COUNT -> ReasonCode.WRONG_FEATURE_COUNT;
    };
  }

  /**
   * The network's input vector of the last sample {@link #learn} took: what a later label trains
   * on. Valid until the next learn.
   */
  public double[] lastInput() {
    return lastInput;
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

  public LabelStats labelStats() {
    return labelStats;
  }

  Trainer trainer() {
    return trainer;
  }

  Monitor monitor() {
    return monitor;
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

  /** The factor divergences put on the spec's learning rate: 1 until one asks for less. */
  public double learningRateScale() {
    return monitor.learningRateScale;
  }

  /** Drifts detected since the model was created (its spec version applied). */
  public long drifts() {
    return monitor.drifts;
  }

  /** Divergences detected since the model was created (its spec version applied). */
  public long divergences() {
    return monitor.divergences;
  }

  /**
   * The events of the samples learnt since the last call, oldest first, and forgets them: the
   * stream and replay each take them after every {@link #learn}. Most calls return the shared empty
   * list.
   */
  public List<LearnerEvent> takeEvents() {
    if (events == null) {
      return List.of();
    }
    List<LearnerEvent> taken = events;
    events = null;
    return taken;
  }

  /** Optimizer steps taken so far. */
  public long steps() {
    return trainer.state().steps();
  }

  /** Why this sample cannot be used by this model, or null when it can. */
  public Rejection validate(Sample sample) {
    try {
      encode(sample);
    } catch (RejectedException e) {
      return e.rejection();
    }
    return validateLabelAndWeight(sample);
  }

  /**
   * Why a stored input vector (already encoded, so never through the preprocessor again) cannot be
   * used with this sample's label and weight, or null when it can: a spec applied since it was
   * served may take another width.
   */
  private Rejection validateInput(Sample sample) {
    double[] x = sample.features();
    if (x.length != spec.architecture().inputs()) {
      return new Rejection(
          ReasonCode.WRONG_FEATURE_COUNT,
          "model '"
              + spec.model()
              + "' takes "
              + spec.architecture().inputs()
              + " inputs, sample '"
              + sample.id()
              + "' was served with "
              + x.length);
    }
    return validateLabelAndWeight(sample);
  }

  /** Why the weight or the label of this sample cannot be used, or null when they can. */
  private Rejection validateLabelAndWeight(Sample sample) {
    Architecture arch = spec.architecture();
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
   * Why this model cannot learn from this late label, or null when it can: a value that is not
   * finite (NON_FINITE_LABEL), or one its loss cannot take (BAD_LABEL). Checked before the label
   * looks for its sample, so that a bad label leaves the sample pending.
   */
  public Rejection validateLabel(Label label) {
    for (double y : label.value()) {
      if (!Double.isFinite(y)) {
        return new Rejection(
            ReasonCode.NON_FINITE_LABEL, "label for sample '" + label.sampleId() + "' is " + y);
      }
    }
    String problem =
        spec.architecture().loss().checkTarget(label.value(), spec.architecture().outputs());
    if (problem != null) {
      return new Rejection(
          ReasonCode.BAD_LABEL, "label for sample '" + label.sampleId() + "': " + problem);
    }
    return null;
  }

  /**
   * Predicts, scores and trains on one sample.
   *
   * @throws RejectedException when the sample cannot be used; nothing changes then
   */
  public LearnResult learn(Sample sample) {
    double[] x = encode(sample);
    Rejection rejection = validateLabelAndWeight(sample);
    if (rejection != null) {
      throw new RejectedException(rejection.reason(), rejection.message());
    }
    lastInput = x;
    long stepBefore = steps();
    double[] outputs = trainer.forward(x).clone();
    // The watch looks at what the network computes: under target scaling, standard units.
    if (watchOutputs && monitor.divergence.checkOutputs(outputs)) {
      diverged(sample);
    }
    boolean scalesTarget = preprocessor != null && preprocessor.scalesTarget();
    if (scalesTarget) {
      outputs = preprocessor.toUserUnits(outputs);
    }
    Architecture arch = spec.architecture();
    int decided = Decision.of(arch, outputs);
    Integer decision = decided == Decision.NONE ? null : decided;
    if (!sample.isLabelled()) {
      if (preprocessor != null) {
        // A sample waiting for a late label is taken in now: when its label comes only the
        // encoded input is kept, not the values the statistics need.
        if (preprocessor.spec().updateOnUnlabelled() || spec.labelWaitMs() > 0) {
          preprocessor.takeIn();
        } else {
          preprocessor.countUnnamed();
        }
      }
      stats.recordUnlabelled();
      return new LearnResult(
          sample.id(), outputs, decision, null, null, stepBefore, spec.version(), null);
    }
    double[] target = sample.label();
    Mlp mlp = trainer.mlp();
    double loss;
    double[] trainTarget = target;
    double trainLoss;
    if (scalesTarget) {
      // Reported in the user's units; the network trains on the standardised target.
      loss = arch.loss().value(outputs, outputs, target);
      trainTarget = preprocessor.takeInTarget(target);
      trainLoss = mlp.loss(trainTarget);
    } else {
      loss = mlp.loss(target);
      trainLoss = loss;
    }
    if (preprocessor != null) {
      preprocessor.takeIn();
    }
    if (Double.isFinite(loss)) {
      Boolean wrong = decision == null ? null : decided != Decision.ofTarget(arch, target);
      stats.recordLabelled(loss, wrong, outputs, target);
    } else {
      stats.recordUnlabelled();
    }
    Trainer.Outcome outcome = trainOnLastForward(sample, trainTarget, trainLoss);
    if (Double.isFinite(loss)) {
      watchLoss(sample, loss);
    }
    return new LearnResult(
        sample.id(), outputs, decision, target, loss, stepBefore, spec.version(), outcome);
  }

  /**
   * What this model served for an unlabelled sample it has just learnt (call right after {@link
   * #learn} returned result for it): the input the network took, the outputs, logits and decision
   * served, to keep until the sample's label comes.
   *
   * @param time the sample record's time, in epoch ms
   */
  public Served served(Sample sample, LearnResult result, long time) {
    return new Served(
        lastInput.clone(),
        result.outputs(),
        trainer.mlp().logits().clone(),
        result.decision(),
        result.step(),
        result.version(),
        sample.weight(),
        time);
  }

  /**
   * Applies the late label of a served sample: scores the prediction that was served (its loss and,
   * for a classifier, whether its decision was wrong go to the running statistics), then trains the
   * current weights on the stored input, as a labelled sample trains (minibatch, optimizer,
   * clipping, the refusal guard, the drift and divergence watches).
   *
   * @throws RejectedException when the label cannot be used (NON_FINITE_LABEL, BAD_LABEL, or
   *     WRONG_FEATURE_COUNT for an input served under another spec); nothing changes then
   */
  public LabelResult learnLabel(Served served, Label label, long delayMs) {
    Sample sample =
        new Sample(
            label.sampleId(), served.input(), label.value(), label.eventTime(), served.weight());
    Rejection rejection = validateLabel(label);
    if (rejection == null) {
      rejection = validateInput(sample);
    }
    if (rejection != null) {
      throw new RejectedException(rejection.reason(), rejection.message());
    }
    double[] target = label.value();
    Architecture arch = spec.architecture();
    double servedLoss = arch.loss().value(served.outputs(), served.logits(), target);
    if (Double.isFinite(servedLoss)) {
      Boolean wrong =
          served.decision() == null ? null : served.decision() != Decision.ofTarget(arch, target);
      stats.recordLateLabel(servedLoss, wrong, served.outputs(), target);
    }
    long stepBefore = steps();
    trainer.forward(served.input());
    // Served outputs are in the user's units; under target scaling the network learns the
    // standardised target, by the statistics of the targets before this one and it.
    double[] trainTarget =
        preprocessor != null && preprocessor.scalesTarget()
            ? preprocessor.takeInTarget(target)
            : target;
    double loss = trainer.mlp().loss(trainTarget);
    Trainer.Outcome outcome = trainOnLastForward(sample, trainTarget, loss);
    if (Double.isFinite(servedLoss)) {
      watchLoss(sample, servedLoss);
    }
    labelStats.recordApplied(delayMs);
    return new LabelResult(
        label.sampleId(),
        served,
        target,
        Double.isFinite(servedLoss) ? servedLoss : null,
        stepBefore,
        spec.version(),
        outcome,
        Math.max(0, delayMs));
  }

  /**
   * Trains on the last forward pass with the sample's weight, counts a refused step, and reports a
   * schedule that starts a new cycle with it.
   */
  private Trainer.Outcome trainOnLastForward(Sample sample, double[] target, double loss) {
    Trainer.Outcome outcome = trainer.trainOnLastForward(target, loss, sample.weight());
    if (outcome == Trainer.Outcome.REFUSED) {
      stats.recordRefused();
    }
    if (outcome == Trainer.Outcome.STEPPED
        && spec.lrSchedule() != null
        && scheduleRestartsAt(steps())) {
      scheduleRestarts(sample);
    }
    return outcome;
  }

  /**
   * Feeds a labelled sample's loss, after its step, to the drift detector and the divergence watch,
   * and carries out their reactions: after the step, so that the sample trained the model that
   * predicted it, as every other sample does.
   */
  private void watchLoss(Sample sample, double loss) {
    if (monitor.detector != null && monitor.detector.add(loss)) {
      drifted(sample);
    }
    if (monitor.divergence != null && monitor.divergence.addLoss(loss)) {
      diverged(sample);
    }
  }

  /** The step just taken ends a cycle of the schedule: the next one is at the base rate again. */
  private void scheduleRestarts(Sample sample) {
    double rate = learningRate();
    emit(
        LearnerEvent.Type.SCHEDULE_RESTARTED,
        sample,
        null,
        null,
        Map.of("learning_rate", rate),
        "the learning-rate schedule starts a new cycle at step "
            + steps()
            + ", back to rate "
            + rate);
  }

  private void drifted(Sample sample) {
    monitor.drifts++;
    Map<String, Double> evidence = monitor.detector.evidence();
    OnDrift reaction = monitor.settings.onDrift();
    switch (reaction) {
      case NONE -> {}
      case RESET_OPTIMIZER ->
          trainer = rebuilt(trainer.mlp(), new OptimizerState(trainer.state().steps(), null, null));
      case RESET_MODEL -> {
        monitor.resets++;
        monitor.learningRateScale = 1.0;
        monitor.restartWatches();
        Architecture arch = spec.architecture();
        double[] fresh =
            spec.init().initialParameters(arch, Monitor.resetSeed(spec.seed(), monitor.resets));
        long steps = trainer.state().steps();
        trainer =
            trainer(
                spec,
                spec.optimizer(),
                new Mlp(arch, fresh),
                new OptimizerState(steps, null, null),
                null,
                0);
      }
    }
    emit(
        LearnerEvent.Type.DRIFT_DETECTED,
        sample,
        monitor.settings.drift().detector(),
        reaction.fileName(),
        evidence,
        "drift detected by "
            + monitor.settings.drift().detector()
            + "; on_drift: "
            + reaction.fileName());
  }

  private void diverged(Sample sample) {
    monitor.divergences++;
    Map<String, Double> evidence = new LinkedHashMap<>(monitor.divergence.evidence());
    boolean scale = monitor.divergence.settings().scaleLearningRate();
    if (scale) {
      monitor.learningRateScale *= monitor.divergence.settings().learningRateFactor();
      trainer = rebuilt(trainer.mlp(), trainer.state());
    }
    evidence.put("learning_rate", learningRate());
    emit(
        LearnerEvent.Type.DIVERGENCE_DETECTED,
        sample,
        "divergence",
        scale ? "scale_learning_rate" : "none",
        evidence,
        evidence.containsKey("output")
            ? "an output left the bound of divergence.output_limit"
            : "the windowed loss grew past divergence.loss_factor times its best");
  }

  /**
   * A sample of this model left the pending store without its label: expired (label_wait_ms) or
   * dropped (label.pending.max.bytes). Counted now, and reported with the others of the same pass
   * by {@link #reportPendingReleases}.
   */
  public void pendingReleased(boolean expired) {
    if (expired) {
      labelStats.recordExpired();
      releasedExpired++;
    } else {
      labelStats.recordDropped();
      releasedDropped++;
    }
  }

  /**
   * Emits one PENDING_LABELS_EXPIRED event for the samples released since the last call, if any:
   * one event per pass of the store, so a burst of expiries (a producer of labels that stopped) is
   * one alert, not one per sample.
   *
   * @return true when there was an event to take
   */
  public boolean reportPendingReleases() {
    if (releasedExpired == 0 && releasedDropped == 0) {
      return false;
    }
    Map<String, Double> evidence = new LinkedHashMap<>();
    evidence.put("expired", (double) releasedExpired);
    evidence.put("dropped", (double) releasedDropped);
    emit(
        LearnerEvent.Type.PENDING_LABELS_EXPIRED,
        null,
        null,
        null,
        evidence,
        releasedExpired
            + " pending samples got no label within label_wait_ms, "
            + releasedDropped
            + " were dropped from a full pending store (label.pending.max.bytes)");
    releasedExpired = 0;
    releasedDropped = 0;
    return true;
  }

  private void emit(
      LearnerEvent.Type type,
      Sample sample,
      String detector,
      String reaction,
      Map<String, Double> evidence,
      String message) {
    if (events == null) {
      events = new ArrayList<>(2);
    }
    events.add(
        new LearnerEvent(
            type,
            spec.version(),
            steps(),
            stats.samples(),
            sample == null ? null : sample.id(),
            detector,
            reaction,
            evidence,
            message));
  }

  /**
   * A trainer over the given network and optimizer state at the spec's rate times the scale, which
   * keeps the current partial minibatch: a rate change or an optimizer reset does not throw away
   * gradients already summed.
   */
  private Trainer rebuilt(Mlp mlp, OptimizerState state) {
    Optimizer optimizer = spec.optimizer();
    if (monitor.learningRateScale != 1.0) {
      optimizer = optimizer.withLearningRate(optimizer.learningRate() * monitor.learningRateScale);
    }
    return trainer(
        spec,
        optimizer,
        mlp,
        state,
        trainer.pending() > 0 ? trainer.pendingGradient() : null,
        trainer.pending());
  }

  /**
   * The trainer of spec over mlp, with the optimizer given (the spec's, or it at a scaled rate):
   * every trainer of a learner is built here, so none forgets a setting of the spec.
   */
  static Trainer trainer(
      ModelSpec spec,
      Optimizer optimizer,
      Mlp mlp,
      OptimizerState state,
      double[][] pendingGradient,
      int pending) {
    return new Trainer(
        mlp,
        optimizer,
        spec.lrSchedule(),
        spec.classWeights(),
        state,
        spec.minibatch(),
        spec.clipNorm(),
        pendingGradient,
        pending);
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
    return predict(new Sample("", features, null, 0));
  }

  /**
   * As {@link #predict(double[])} for a sample of array or named features, encoded with the current
   * statistics (which do not change).
   */
  public Prediction predict(Sample sample) {
    double[] outputs = trainer.forward(encode(sample)).clone();
    if (preprocessor != null && preprocessor.scalesTarget()) {
      outputs = preprocessor.toUserUnits(outputs);
    }
    int decided = Decision.of(spec.architecture(), outputs);
    return new Prediction(outputs, decided == Decision.NONE ? null : decided);
  }

  /** A copy of the current parameters, safe to hand to another thread. */
  public double[] parametersCopy() {
    return trainer.mlp().canonicalParameters();
  }

  /** The model file (docs/model-file.md) of the current weights and optimizer state. */
  public String modelFile() {
    ModelSpec withStatistics =
        preprocessor == null ? spec : spec.withPreprocessingState(preprocessor.state());
    return ModelFile.write(withStatistics, trainer.mlp().canonicalParameters(), trainer.state());
  }
}
