package io.streamgrad.nn;

/**
 * Stochastic gradient descent on one {@link Mlp}: one step per sample, or one step per minibatch of
 * B samples with their mean gradient, optionally clipped by global norm (as
 * torch.nn.utils.clip_grad_norm_), and guarded: a sample whose loss or gradient is not finite is
 * refused and changes nothing, and so is a step that would take a parameter past {@link
 * #PARAMETER_LIMIT} in magnitude (so that a model never overflows to infinity or NaN).
 *
 * <p>Use: {@link #forward} a sample (its output is the honest prediction), then {@link
 * #trainOnLastForward} with its target. Plain SGD at a constant rate with B = 1 takes the fast path
 * that never builds the gradient; every other setting accumulates it into one flat buffer.
 *
 * <p>A weighted sample (a sample weight, or class weights) contributes w·∇ℓ to the minibatch's sum,
 * which is divided by B, the number of samples in it: the step's gradient is (1/B)·Σ w_i·∇ℓ_i. A
 * sample of weight 0 is in no minibatch: it changes nothing, so a stream with such samples left out
 * trains to the same bits.
 */
public final class Trainer {
  /** torch.nn.utils.clip_grad_norm_ adds this to the norm before dividing. */
  private static final double CLIP_EPSILON = 1e-6;

  /**
   * The largest parameter magnitude a step may produce. Far beyond any useful model, and small
   * enough that neither an update nor a weight times a moderate input can overflow.
   */
  public static final double PARAMETER_LIMIT = 1e150;

  private final Mlp mlp;
  private final Optimizer optimizer;
  private final LrSchedule schedule;
  private final ClassWeights classWeights;
  private final OptimizerState state;
  private final int minibatch;
  private final double clipNorm;
  private final boolean fastPath;
  private final double[][] gradientSum;
  private int pending;

  /** The optimizer's learning rate, read once (the optimizer is immutable). */
  private final double learningRate;

  /**
   * On the fast path: how far every parameter may still move before one could pass {@link
   * #PARAMETER_LIMIT}, i.e. the limit minus an upper bound on max |θ|. NaN until first worked out;
   * made exact again (from max |θ|) whenever a step would use it up.
   */
  private double headroom = Double.NaN;

  /** Where the general path keeps θ and the optimizer state while a step is checked. */
  private double[][] backup;

  private OptimizerState stateBackup;

  /** What one call of {@link #trainOnLastForward} did. */
  public enum Outcome {
    /** Added to the current minibatch; no step yet. */
    ACCUMULATED,
    /** A step was taken. */
    STEPPED,
    /** Loss or gradient not finite: nothing changed (for a minibatch: the batch is dropped). */
    REFUSED,
    /** The sample's weight is 0: it was not trained on and is in no minibatch. */
    SKIPPED
  }

  /**
   * @param clipNorm the largest global gradient norm, or 0 for no clipping
   * @param pendingGradient the sum of gradients of a partial minibatch (segment order), or null
   */
  public Trainer(
      Mlp mlp,
      Optimizer optimizer,
      OptimizerState state,
      int minibatch,
      double clipNorm,
      double[][] pendingGradient,
      int pending) {
    this(mlp, optimizer, null, null, state, minibatch, clipNorm, pendingGradient, pending);
  }

  /**
   * @param schedule the learning-rate schedule, or null for the optimizer's constant rate
   * @param classWeights the loss's class weights, or null for none
   * @param clipNorm the largest global gradient norm, or 0 for no clipping
   * @param pendingGradient the sum of gradients of a partial minibatch (segment order), or null
   */
  public Trainer(
      Mlp mlp,
      Optimizer optimizer,
      LrSchedule schedule,
      ClassWeights classWeights,
      OptimizerState state,
      int minibatch,
      double clipNorm,
      double[][] pendingGradient,
      int pending) {
    if (minibatch < 1) {
      throw new IllegalArgumentException("minibatch must be >= 1, got " + minibatch);
    }
    if (!(clipNorm >= 0.0) || !Double.isFinite(clipNorm)) {
      throw new IllegalArgumentException("clip_norm must be a finite number >= 0, got " + clipNorm);
    }
    this.mlp = mlp;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.classWeights = classWeights;
    this.learningRate = optimizer.learningRate();
    this.state = state;
    this.minibatch = minibatch;
    this.clipNorm = clipNorm;
    this.fastPath = optimizer.isPlainGradientDescent() && minibatch == 1 && schedule == null;
    this.gradientSum = fastPath ? null : mlp.layout().newSegments();
    if (pendingGradient != null && gradientSum != null) {
      ParameterLayout.copyInto(pendingGradient, gradientSum);
    }
    this.pending = pending;
  }

  public Trainer(Mlp mlp, Optimizer optimizer, int minibatch, double clipNorm) {
    this(mlp, optimizer, new OptimizerState(), minibatch, clipNorm, null, 0);
  }

  public Mlp mlp() {
    return mlp;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  /** The learning-rate schedule, or null for a constant rate. */
  public LrSchedule schedule() {
    return schedule;
  }

  /** The learning rate of the next step: the schedule's at the current step count, or constant. */
  public double learningRate() {
    return schedule == null ? learningRate : schedule.rate(learningRate, state.steps());
  }

  public OptimizerState state() {
    return state;
  }

  public int minibatch() {
    return minibatch;
  }

  public double clipNorm() {
    return clipNorm;
  }

  /** Samples in the current, unfinished minibatch. */
  public int pending() {
    return pending;
  }

  /**
   * The gradient sum of the unfinished minibatch (live, segment order), or null on the fast path.
   */
  public double[][] pendingGradient() {
    return gradientSum;
  }

  public double[] forward(double[] x) {
    return mlp.forward(x);
  }

  /** Trains on the sample of the last {@link #forward}, whose loss against target is given. */
  @SuppressWarnings("IdentityBinaryExpression") // loss - loss: 0 when finite, NaN otherwise
  public Outcome trainOnLastForward(double[] target, double loss) {
    if (!fastPath && !Double.isFinite(loss)) {
      return Outcome.REFUSED;
    }
    mlp.backward(target); // writes only the deltas: nothing to undo if the step is refused
    double normSquared = mlp.gradientNormSquared();
    if (fastPath) {
      // Every entry moves by at most rate·‖g‖. Without clipping that is bounded by
      // rate·max(1, ‖g‖²), which needs no square root. One comparison on the common path: it also
      // fails for a norm that is NaN or infinite, and, through loss − loss (0 for a finite loss,
      // NaN otherwise), for a loss that is not finite. A separate test of the loss before the
      // backward pass would cost every step a comparison of its own (BENCHMARKS.md, "Kernel").
      double rate;
      double move;
      if (clipNorm == 0.0) {
        rate = learningRate;
        move = rate * Math.max(1.0, normSquared);
      } else {
        double norm = Math.sqrt(normSquared);
        rate = learningRate * clipCoefficient(norm);
        move = rate * norm;
      }
      if (!(move + (loss - loss) <= headroom)) {
        return Double.isFinite(loss) ? stepNearTheLimit(rate, normSquared) : Outcome.REFUSED;
      }
      return descend(rate, move);
    }
    return accumulate(normSquared);
  }

  /**
   * As {@link #trainOnLastForward(double[], double)} for a sample of the given weight (≥ 0), times
   * the class weight of its label: its gradient counts w times in the minibatch's sum. A weight of
   * 0 changes nothing and the outcome is {@link Outcome#SKIPPED}.
   */
  public Outcome trainOnLastForward(double[] target, double loss, double weight) {
    if (weight == 1.0 && classWeights == null) {
      return trainOnLastForward(target, loss);
    }
    double scale = classWeights == null ? weight : weight * classWeights.sampleFactor(target);
    if (scale == 0.0) {
      return Outcome.SKIPPED;
    }
    if (!Double.isFinite(loss)) {
      return Outcome.REFUSED;
    }
    mlp.backward(target, scale, classWeights);
    double normSquared = mlp.gradientNormSquared();
    if (fastPath) {
      // The exact check of the step near the limit: a weight can be large, and the bound kept for
      // unweighted steps is not worth keeping for these.
      double rate = learningRate * clipCoefficient(Math.sqrt(normSquared));
      return stepNearTheLimit(rate, normSquared);
    }
    return accumulate(normSquared);
  }

  /** Adds the last backward pass's gradient to the minibatch, and steps when it is full. */
  private Outcome accumulate(double normSquared) {
    if (!Double.isFinite(normSquared)) {
      return Outcome.REFUSED;
    }
    mlp.addGradient(gradientSum);
    if (++pending < minibatch) {
      return Outcome.ACCUMULATED;
    }
    return stepWithMeanGradient();
  }

  /**
   * The fast path's step when the bound on max |θ| does not leave room for it (or the gradient is
   * not finite): max |θ| is worked out exactly and the step is checked with the exact rate·‖g‖.
   */
  private Outcome stepNearTheLimit(double rate, double normSquared) {
    if (!Double.isFinite(normSquared)) {
      return Outcome.REFUSED;
    }
    headroom = PARAMETER_LIMIT - mlp.maxAbsParameter();
    double move = rate * Math.sqrt(normSquared);
    if (!(move <= headroom)) {
      return Outcome.REFUSED;
    }
    return descend(rate, move);
  }

  /** The plain gradient-descent step, whose largest move the headroom has room for. */
  private Outcome descend(double rate, double move) {
    headroom -= move;
    mlp.descend(rate);
    state.advance();
    return Outcome.STEPPED;
  }

  private Outcome stepWithMeanGradient() {
    double[][] grad = gradientSum;
    double normSquared = 0.0;
    for (double[] g : grad) {
      for (int k = 0; k < g.length; k++) {
        g[k] /= pending;
        normSquared += g[k] * g[k];
      }
    }
    pending = 0;
    if (!Double.isFinite(normSquared)) {
      ParameterLayout.fill(grad, 0.0);
      return Outcome.REFUSED;
    }
    if (clipNorm > 0.0) {
      double coefficient = clipCoefficient(Math.sqrt(normSquared));
      for (double[] g : grad) {
        for (int k = 0; k < g.length; k++) {
          g[k] *= coefficient;
        }
      }
    }
    double[][] params = mlp.segments();
    if (backup == null) {
      backup = mlp.layout().newSegments();
      stateBackup = new OptimizerState();
    }
    ParameterLayout.copyInto(params, backup);
    state.copyInto(stateBackup);
    optimizer.step(params, grad, state, learningRate());
    ParameterLayout.fill(grad, 0.0);
    if (!(mlp.maxAbsParameter() <= PARAMETER_LIMIT)) {
      ParameterLayout.copyInto(backup, params);
      stateBackup.copyInto(state);
      return Outcome.REFUSED;
    }
    return Outcome.STEPPED;
  }

  private double clipCoefficient(double norm) {
    if (clipNorm == 0.0) {
      return 1.0;
    }
    return Math.min(1.0, clipNorm / (norm + CLIP_EPSILON));
  }
}
