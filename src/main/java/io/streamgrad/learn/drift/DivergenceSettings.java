package io.streamgrad.learn.drift;

/**
 * The model file's {@code "divergence"} object (docs/model-file.md, "Divergence").
 *
 * @param window labelled samples per block: the loss is compared block mean with block mean
 * @param lossFactor a block whose mean loss is more than this times the best block mean so far is a
 *     divergence
 * @param outputLimit an output of larger magnitude is a divergence; infinity: no limit
 * @param scaleLearningRate whether a divergence multiplies the learning rate by {@code
 *     learningRateFactor} ({@code "on_divergence": "scale_learning_rate"})
 * @param learningRateFactor in (0, 1]
 */
public record DivergenceSettings(
    int window,
    double lossFactor,
    double outputLimit,
    boolean scaleLearningRate,
    double learningRateFactor) {
  public static final DivergenceSettings DEFAULT =
      new DivergenceSettings(100, 10.0, Double.POSITIVE_INFINITY, false, 0.5);

  public DivergenceSettings {
    if (window < 1) {
      throw new IllegalArgumentException("divergence.window must be >= 1, got " + window);
    }
    if (!(lossFactor > 1.0) || !Double.isFinite(lossFactor)) {
      throw new IllegalArgumentException(
          "divergence.loss_factor must be a finite number > 1, got " + lossFactor);
    }
    if (!(outputLimit > 0.0)) {
      throw new IllegalArgumentException(
          "divergence.output_limit must be a number > 0, got " + outputLimit);
    }
    if (!(learningRateFactor > 0.0 && learningRateFactor <= 1.0)) {
      throw new IllegalArgumentException(
          "divergence.learning_rate_factor must lie in (0, 1], got " + learningRateFactor);
    }
  }
}
