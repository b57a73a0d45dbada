package io.streamgrad.learn;

import io.streamgrad.learn.drift.Monitoring;
import io.streamgrad.learn.inputs.Preprocessing;
import io.streamgrad.nn.Architecture;
import io.streamgrad.nn.ClassWeights;
import io.streamgrad.nn.Initializer;
import io.streamgrad.nn.Loss;
import io.streamgrad.nn.LrSchedule;
import io.streamgrad.nn.Optimizer;
import io.streamgrad.nn.OptimizerState;

/**
 * A model as its model file describes it (docs/model-file.md): the architecture and training
 * settings, and optionally the weights to start from (a warm start) with the optimizer state to
 * resume.
 *
 * @param parameters flat initial parameters (see {@link io.streamgrad.nn.Mlp}), or null to draw
 *     them from seed with init
 * @param optimizerState the optimizer state to resume from, or null
 * @param steps the steps the given weights were trained for (0 for a fresh model)
 * @param metadata the user's own {@code "metadata"} object as compact JSON text, or null: never
 *     read by Streamgrad, only carried (through checkpoints and exports) so that a model keeps the
 *     notes its owner gave it
 * @param lrSchedule the learning-rate schedule, or null for the optimizer's constant rate
 * @param classWeights the loss's class weights ({@code class_weights}), or null for none
 * @param monitoring drift and divergence detection ({@code drift}, {@code on_drift}, {@code
 *     divergence}); null means the defaults
 * @param labelWaitMs how long a sample predicted without its label waits for it ({@code
 *     label_wait_ms}, record time); 0: samples are not kept, labels must come with their sample
 * @param preprocessing named inputs, their scaling and target scaling ({@code inputs}, {@code
 *     strict_inputs}, {@code update_on_unlabelled}, {@code target_scale}), with the statistics to
 *     start from; null for a model that takes its features as they come
 */
public record ModelSpec(
    String model,
    int version,
    Architecture architecture,
    Optimizer optimizer,
    int minibatch,
    double clipNorm,
    long seed,
    Initializer init,
    double[] parameters,
    OptimizerState optimizerState,
    long steps,
    String metadata,
    LrSchedule lrSchedule,
    ClassWeights classWeights,
    Monitoring monitoring,
    long labelWaitMs,
    Preprocessing preprocessing) {

  public ModelSpec {
    if (monitoring == null) {
      monitoring = Monitoring.DEFAULT;
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model: a model needs a non-empty id");
    }
    if (minibatch < 1) {
      throw new IllegalArgumentException("minibatch must be >= 1, got " + minibatch);
    }
    if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) {
      throw new IllegalArgumentException("clip_norm must be a finite number >= 0, got " + clipNorm);
    }
    if (labelWaitMs < 0) {
      throw new IllegalArgumentException("label_wait_ms must be >= 0, got " + labelWaitMs);
    }
    if (parameters != null && parameters.length != architecture.parameters()) {
      throw new IllegalArgumentException(
          "weights/biases hold "
              + parameters.length
              + " values but layers need "
              + architecture.parameters());
    }
    checkPreprocessing(preprocessing, architecture);
  }

  /** A spec without named inputs or target scaling, whose samples do not wait for late labels. */
  public ModelSpec(
      String model,
      int version,
      Architecture architecture,
      Optimizer optimizer,
      int minibatch,
      double clipNorm,
      long seed,
      Initializer init,
      double[] parameters,
      OptimizerState optimizerState,
      long steps,
      String metadata,
      LrSchedule lrSchedule,
      ClassWeights classWeights,
      Monitoring monitoring) {
    this(
        model,
        version,
        architecture,
        optimizer,
        minibatch,
        clipNorm,
        seed,
        init,
        parameters,
        optimizerState,
        steps,
        metadata,
        lrSchedule,
        classWeights,
        monitoring,
        0,
        null);
  }

  /**
   * The encoded inputs must fill the first layer exactly, and only a regression loss has a target
   * to standardise.
   */
  private static void checkPreprocessing(Preprocessing preprocessing, Architecture architecture) {
    if (preprocessing == null) {
      return;
    }
    if (preprocessing.hasInputs() && preprocessing.width() != architecture.inputs()) {
      throw new IllegalArgumentException(
          "inputs: they encode to "
              + preprocessing.width()
              + " values ("
              + preprocessing.widths()
              + ") but layers[0].in is "
              + architecture.inputs());
    }
    Loss loss = architecture.loss();
    if (preprocessing.standardizeTarget() && loss != Loss.L2 && loss != Loss.L1) {
      throw new IllegalArgumentException(
          "target_scale: \"standard\" is for a regression (loss l2 or l1), not " + loss.fileName());
    }
  }

  /** The same spec starting from the given preprocessing statistics (a trained model's file). */
  public ModelSpec withPreprocessingState(double[] state) {
    if (preprocessing == null) {
      return this;
    }
    return new ModelSpec(
        model,
        version,
        architecture,
        optimizer,
        minibatch,
        clipNorm,
        seed,
        init,
        parameters,
        optimizerState,
        steps,
        metadata,
        lrSchedule,
        classWeights,
        monitoring,
        labelWaitMs,
        new Preprocessing(
            preprocessing.inputs(),
            preprocessing.strictInputs(),
            preprocessing.updateOnUnlabelled(),
            preprocessing.standardizeTarget(),
            state));
  }

  /** The same spec with samples that wait this long for their labels (0: off). */
  public ModelSpec withLabelWaitMs(long waitMs) {
    return new ModelSpec(
        model,
        version,
        architecture,
        optimizer,
        minibatch,
        clipNorm,
        seed,
        init,
        parameters,
        optimizerState,
        steps,
        metadata,
        lrSchedule,
        classWeights,
        monitoring,
        waitMs,
        preprocessing);
  }

  /** A spec without a learning-rate schedule, class weights or monitoring. */
  public ModelSpec(
      String model,
      int version,
      Architecture architecture,
      Optimizer optimizer,
      int minibatch,
      double clipNorm,
      long seed,
      Initializer init,
      double[] parameters,
      OptimizerState optimizerState,
      long steps,
      String metadata) {
    this(
        model,
        version,
        architecture,
        optimizer,
        minibatch,
        clipNorm,
        seed,
        init,
        parameters,
        optimizerState,
        steps,
        metadata,
        null,
        null,
        null);
  }

  /** A spec without metadata. */
  public ModelSpec(
      String model,
      int version,
      Architecture architecture,
      Optimizer optimizer,
      int minibatch,
      double clipNorm,
      long seed,
      Initializer init,
      double[] parameters,
      OptimizerState optimizerState,
      long steps) {
    this(
        model,
        version,
        architecture,
        optimizer,
        minibatch,
        clipNorm,
        seed,
        init,
        parameters,
        optimizerState,
        steps,
        (String) null);
  }

  /** A fresh model: weights drawn from seed with init, plain SGD, no minibatch. */
  public static ModelSpec fresh(
      String model, Architecture architecture, Optimizer optimizer, long seed) {
    return new ModelSpec(
        model, 1, architecture, optimizer, 1, 0.0, seed, Initializer.XAVIER, null, null, 0);
  }

  /** The same spec under another model id (for a default spec applied to a new model). */
  public ModelSpec withModel(String newModel) {
    return new ModelSpec(
        newModel,
        version,
        architecture,
        optimizer,
        minibatch,
        clipNorm,
        seed,
        init,
        parameters,
        optimizerState,
        steps,
        metadata,
        lrSchedule,
        classWeights,
        monitoring,
        labelWaitMs,
        preprocessing);
  }

  /** The spec without its starting point: what a learner's checkpoint needs to remember. */
  public ModelSpec withoutStartingPoint() {
    return new ModelSpec(
        model,
        version,
        architecture,
        optimizer,
        minibatch,
        clipNorm,
        seed,
        init,
        null,
        null,
        0,
        metadata,
        lrSchedule,
        classWeights,
        monitoring,
        labelWaitMs,
        preprocessing == null ? null : preprocessing.withoutStartingPoint());
  }

  /** The parameters the model starts from: the given ones, or drawn from seed. */
  public double[] initialParameters() {
    return parameters != null ? parameters.clone() : init.initialParameters(architecture, seed);
  }
}
