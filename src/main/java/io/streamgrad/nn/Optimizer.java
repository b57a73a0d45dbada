package io.streamgrad.nn;

/**
 * A rule that turns a gradient into a parameter update, exactly as PyTorch's optimizer of the same
 * name defines it, so that a model trained here can be checked against torch.optim.
 *
 * <p>Life cycle (as in Tribuo's optimisers): settings are immutable; everything an optimizer learns
 * while it runs lives in an {@link OptimizerState} that the caller owns, saves and restores, so
 * that training resumes bit-identically after a checkpoint.
 */
public sealed interface Optimizer
    permits Optimizer.Sgd, Optimizer.Adam, Optimizer.AdamW, Optimizer.RmsProp, Optimizer.Adagrad {

  /** The learning rate the spec gives: the rate of every step unless a schedule changes it. */
  double learningRate();

  /**
   * The same optimizer with another learning rate: how a learner applies a scale to its rate (e.g.
   * after a divergence) without a second code path in the step.
   */
  Optimizer withLearningRate(double learningRate);

  /**
   * θ ← update(θ, g, state) for every segment of parameters (a layer's weights or biases, with its
   * gradient in the same place of grad), at the given learning rate (a schedule's rate for this
   * step, or {@link #learningRate()}); creates the state's buffers on the first step and counts the
   * step in it.
   */
  void step(double[][] params, double[][] grad, OptimizerState state, double learningRate);

  /** A step at the optimizer's own learning rate. */
  default void step(double[][] params, double[][] grad, OptimizerState state) {
    step(params, grad, state, learningRate());
  }

  /** True when a step is exactly θ ← θ − η·g, so the gradient need not be materialised. */
  boolean isPlainGradientDescent();

  /**
   * torch.optim.SGD (dampening 0): with weight decay λ, g ← g + λθ; with momentum μ, v ← g on the
   * first step and v ← μv + g after it; Nesterov uses g + μv, otherwise v; then θ ← θ − ηg.
   */
  record Sgd(double learningRate, double momentum, boolean nesterov, double weightDecay)
      implements Optimizer {
    public Sgd {
      requirePositive("learning_rate", learningRate);
      requireRange("momentum", momentum, 0.0, 1.0);
      requireNonNegative("weight_decay", weightDecay);
      if (nesterov && momentum == 0.0) {
        throw new IllegalArgumentException("optimizer.nesterov needs a momentum > 0");
      }
    }

    public static Sgd plain(double learningRate) {
      return new Sgd(learningRate, 0.0, false, 0.0);
    }

    @Override
    public Sgd withLearningRate(double rate) {
      return new Sgd(rate, momentum, nesterov, weightDecay);
    }

    @Override
    public boolean isPlainGradientDescent() {
      return momentum == 0.0 && weightDecay == 0.0;
    }

    @Override
    public void step(double[][] params, double[][] grad, OptimizerState state, double rate) {
      if (momentum != 0.0) {
        state.first(params);
      }
      for (int s = 0; s < params.length; s++) {
        stepSegment(params[s], grad[s], momentum != 0.0 ? state.firstOrNull()[s] : null, rate);
      }
      state.advance();
    }

    private void stepSegment(double[] params, double[] grad, double[] velocity, double rate) {
      for (int k = 0; k < params.length; k++) {
        double g = grad[k];
        if (weightDecay != 0.0) {
          g = g + weightDecay * params[k];
        }
        if (velocity != null) {
          // torch starts the buffer as a copy of the first gradient: from zeros, 0·μ + g = g.
          double v = velocity[k] * momentum + g;
          velocity[k] = v;
          g = nesterov ? g + momentum * v : v;
        }
        params[k] = params[k] + -rate * g;
      }
    }
  }

  /**
   * torch.optim.Adam (Kingma and Ba, 2015, "Adam: A Method for Stochastic Optimization"), without
   * amsgrad: m ← m + (1 − β1)(g − m), v ← β2·v + (1 − β2)g², θ ← θ − η/(1 − β1^t) · m / (√v / √(1 −
   * β2^t) + ε). Weight decay is torch's L2 form, g ← g + λθ.
   */
  record Adam(double learningRate, double beta1, double beta2, double eps, double weightDecay)
      implements Optimizer {
    public Adam {
      requirePositive("learning_rate", learningRate);
      requireRange("beta1", beta1, 0.0, 1.0);
      requireRange("beta2", beta2, 0.0, 1.0);
      requirePositive("eps", eps);
      requireNonNegative("weight_decay", weightDecay);
    }

    public static Adam withDefaults(double learningRate) {
      return new Adam(learningRate, 0.9, 0.999, 1e-8, 0.0);
    }

    @Override
    public Adam withLearningRate(double rate) {
      return new Adam(rate, beta1, beta2, eps, weightDecay);
    }

    @Override
    public boolean isPlainGradientDescent() {
      return false;
    }

    @Override
    public void step(double[][] params, double[][] grad, OptimizerState state, double rate) {
      state.first(params);
      state.second(params);
      for (int s = 0; s < params.length; s++) {
        stepSegment(
            params[s],
            grad[s],
            state.firstOrNull()[s],
            state.secondOrNull()[s],
            state.steps() + 1,
            rate);
      }
      state.advance();
    }

    private void stepSegment(
        double[] params, double[] grad, double[] m, double[] v, long t, double rate) {
      // StrictMath: Math.pow may differ by an ulp from one JVM or processor to another.
      double biasCorrection1 = 1.0 - StrictMath.pow(beta1, t);
      double biasCorrection2Sqrt = Math.sqrt(1.0 - StrictMath.pow(beta2, t));
      double stepSize = rate / biasCorrection1;
      double lerpWeight = 1.0 - beta1;
      for (int k = 0; k < params.length; k++) {
        double g = grad[k];
        if (weightDecay != 0.0) {
          g = g + weightDecay * params[k];
        }
        m[k] = lerp(m[k], g, lerpWeight);
        v[k] = v[k] * beta2 + (1.0 - beta2) * g * g;
        double denom = Math.sqrt(v[k]) / biasCorrection2Sqrt + eps;
        params[k] = params[k] + -stepSize * m[k] / denom;
      }
    }

    /** torch.lerp's two-sided formula, so that the moments round as PyTorch's do. */
    private static double lerp(double start, double end, double weight) {
      return weight < 0.5 ? start + weight * (end - start) : end - (end - start) * (1.0 - weight);
    }
  }

  /**
   * torch.optim.AdamW (Loshchilov and Hutter, 2019, "Decoupled Weight Decay Regularization"),
   * without amsgrad: the weights first shrink by θ ← θ·(1 − ηλ), then take Adam's step on the raw
   * gradient (m ← β1·m + (1 − β1)g, v ← β2·v + (1 − β2)g², θ ← θ − η/(1 − β1^t) · m / (√v / √(1 −
   * β2^t) + ε)). Unlike Adam's L2 form, the decay does not pass through the moments.
   */
  record AdamW(double learningRate, double beta1, double beta2, double eps, double weightDecay)
      implements Optimizer {
    public AdamW {
      requirePositive("learning_rate", learningRate);
      requireRange("beta1", beta1, 0.0, 1.0);
      requireRange("beta2", beta2, 0.0, 1.0);
      requirePositive("eps", eps);
      requireNonNegative("weight_decay", weightDecay);
    }

    @Override
    public AdamW withLearningRate(double rate) {
      return new AdamW(rate, beta1, beta2, eps, weightDecay);
    }

    @Override
    public boolean isPlainGradientDescent() {
      return false;
    }

    @Override
    public void step(double[][] params, double[][] grad, OptimizerState state, double rate) {
      state.first(params);
      state.second(params);
      long t = state.steps() + 1;
      double biasCorrection1 = 1.0 - StrictMath.pow(beta1, t);
      double biasCorrection2Sqrt = Math.sqrt(1.0 - StrictMath.pow(beta2, t));
      double stepSize = rate / biasCorrection1;
      double shrink = 1.0 - rate * weightDecay;
      for (int s = 0; s < params.length; s++) {
        double[] p = params[s];
        double[] g = grad[s];
        double[] m = state.firstOrNull()[s];
        double[] v = state.secondOrNull()[s];
        for (int k = 0; k < p.length; k++) {
          p[k] = p[k] * shrink;
          // Multiply-add, as torch.optim.AdamW writes the moments.
          m[k] = m[k] * beta1 + (1.0 - beta1) * g[k];
          v[k] = v[k] * beta2 + (1.0 - beta2) * g[k] * g[k];
          double denom = Math.sqrt(v[k]) / biasCorrection2Sqrt + eps;
          p[k] = p[k] + -stepSize * m[k] / denom;
        }
      }
      state.advance();
    }
  }

  /**
   * torch.optim.RMSprop (Hinton's lecture 6e; centered as Graves, 2013, "Generating Sequences With
   * Recurrent Neural Networks"): with weight decay λ, g ← g + λθ; s ← α·s + (1 − α)g²; centered, ḡ
   * ← α·ḡ + (1 − α)g and the denominator is √(s − ḡ²) + ε, otherwise √s + ε; with momentum μ, b ←
   * μ·b + g / denominator and θ ← θ − η·b, otherwise θ ← θ − η·g / denominator.
   *
   * <p>State: {@link OptimizerState#secondOrNull()} holds s, {@link OptimizerState#firstOrNull()}
   * the momentum buffer b (with momentum > 0), {@link OptimizerState#thirdOrNull()} the mean
   * gradient ḡ (centered).
   */
  record RmsProp(
      double learningRate,
      double alpha,
      double eps,
      double weightDecay,
      double momentum,
      boolean centered)
      implements Optimizer {
    public RmsProp {
      requirePositive("learning_rate", learningRate);
      requireRange("alpha", alpha, 0.0, 1.0);
      requirePositive("eps", eps);
      requireNonNegative("weight_decay", weightDecay);
      requireRange("momentum", momentum, 0.0, 1.0);
    }

    @Override
    public RmsProp withLearningRate(double rate) {
      return new RmsProp(rate, alpha, eps, weightDecay, momentum, centered);
    }

    @Override
    public boolean isPlainGradientDescent() {
      return false;
    }

    @Override
    public void step(double[][] params, double[][] grad, OptimizerState state, double rate) {
      state.second(params);
      if (momentum > 0.0) {
        state.first(params);
      }
      if (centered) {
        state.third(params);
      }
      for (int s = 0; s < params.length; s++) {
        double[] p = params[s];
        double[] squareAvg = state.secondOrNull()[s];
        double[] buffer = momentum > 0.0 ? state.firstOrNull()[s] : null;
        double[] gradAvg = centered ? state.thirdOrNull()[s] : null;
        for (int k = 0; k < p.length; k++) {
          double g = grad[s][k];
          if (weightDecay != 0.0) {
            g = g + weightDecay * p[k];
          }
          squareAvg[k] = squareAvg[k] * alpha + (1.0 - alpha) * g * g;
          double avg;
          if (gradAvg != null) {
            gradAvg[k] = gradAvg[k] * alpha + (1.0 - alpha) * g;
            avg = Math.sqrt(squareAvg[k] - gradAvg[k] * gradAvg[k]);
          } else {
            avg = Math.sqrt(squareAvg[k]);
          }
          avg = avg + eps;
          if (buffer != null) {
            buffer[k] = buffer[k] * momentum + g / avg;
            p[k] = p[k] + -rate * buffer[k];
          } else {
            p[k] = p[k] + -rate * g / avg;
          }
        }
      }
      state.advance();
    }
  }

  /**
   * torch.optim.Adagrad (Duchi, Hazan and Singer, 2011, "Adaptive Subgradient Methods for Online
   * Learning and Stochastic Optimization"): with weight decay λ, g ← g + λθ; the sum of squares
   * starts at the initial accumulator value and grows by g²; θ ← θ − η/(1 + (t − 1)·decay) · g /
   * (√sum + ε), t counting this step. The sum is {@link OptimizerState#secondOrNull()}.
   */
  record Adagrad(
      double learningRate,
      double lrDecay,
      double weightDecay,
      double initialAccumulatorValue,
      double eps)
      implements Optimizer {
    public Adagrad {
      requirePositive("learning_rate", learningRate);
      requireNonNegative("lr_decay", lrDecay);
      requireNonNegative("weight_decay", weightDecay);
      requireNonNegative("initial_accumulator_value", initialAccumulatorValue);
      requirePositive("eps", eps);
    }

    @Override
    public Adagrad withLearningRate(double rate) {
      return new Adagrad(rate, lrDecay, weightDecay, initialAccumulatorValue, eps);
    }

    @Override
    public boolean isPlainGradientDescent() {
      return false;
    }

    @Override
    public void step(double[][] params, double[][] grad, OptimizerState state, double rate) {
      state.second(params, initialAccumulatorValue);
      // torch: step − 1 with step counting this one, i.e. the steps taken before it
      double clr = rate / (1.0 + state.steps() * lrDecay);
      for (int s = 0; s < params.length; s++) {
        double[] p = params[s];
        double[] sum = state.secondOrNull()[s];
        for (int k = 0; k < p.length; k++) {
          double g = grad[s][k];
          if (weightDecay != 0.0) {
            g = g + weightDecay * p[k];
          }
          sum[k] = sum[k] + g * g;
          p[k] = p[k] + -clr * g / (Math.sqrt(sum[k]) + eps);
        }
      }
      state.advance();
    }
  }

  private static void requirePositive(String name, double value) {
    if (!(value > 0.0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "optimizer." + name + " must be a finite number > 0, got " + value);
    }
  }

  private static void requireNonNegative(String name, double value) {
    if (!(value >= 0.0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "optimizer." + name + " must be a finite number >= 0, got " + value);
    }
  }

  private static void requireRange(String name, double value, double from, double below) {
    if (!(value >= from && value < below)) {
      throw new IllegalArgumentException(
          "optimizer." + name + " must lie in [" + from + ", " + below + "), got " + value);
    }
  }
}
