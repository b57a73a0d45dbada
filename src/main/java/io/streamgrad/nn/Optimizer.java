package io.streamgrad.nn;

/**
 * A rule that turns a gradient into a parameter update, exactly as PyTorch's optimizer of the same
 * name defines it, so that a model trained here can be checked against torch.optim.
 *
 * <p>Life cycle (as in Tribuo's optimisers): settings are immutable; everything an optimizer learns
 * while it runs lives in an {@link OptimizerState} that the caller owns, saves and restores, so
 * that training resumes bit-identically after a checkpoint.
 */
public sealed interface Optimizer permits Optimizer.Sgd, Optimizer.Adam {

  double learningRate();

  /**
   * The same optimizer with another learning rate: how a learner applies a scale to its rate (e.g.
   * after a divergence) without a second code path in the step.
   */
  Optimizer withLearningRate(double learningRate);

  /**
   * θ ← update(θ, g, state) for every segment of parameters (a layer's weights or biases, with its
   * gradient in the same place of grad); creates the state's buffers on the first step and counts
   * the step in it.
   */
  void step(double[][] params, double[][] grad, OptimizerState state);

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
    public void step(double[][] params, double[][] grad, OptimizerState state) {
      if (momentum != 0.0) {
        state.first(params);
      }
      for (int s = 0; s < params.length; s++) {
        stepSegment(params[s], grad[s], momentum != 0.0 ? state.firstOrNull()[s] : null);
      }
      state.advance();
    }

    private void stepSegment(double[] params, double[] grad, double[] velocity) {
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
        params[k] = params[k] + -learningRate * g;
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
    public void step(double[][] params, double[][] grad, OptimizerState state) {
      state.first(params);
      state.second(params);
      for (int s = 0; s < params.length; s++) {
        stepSegment(
            params[s], grad[s], state.firstOrNull()[s], state.secondOrNull()[s], state.steps() + 1);
      }
      state.advance();
    }

    private void stepSegment(double[] params, double[] grad, double[] m, double[] v, long t) {
      // StrictMath: Math.pow may differ by an ulp from one JVM or processor to another.
      double biasCorrection1 = 1.0 - StrictMath.pow(beta1, t);
      double biasCorrection2Sqrt = Math.sqrt(1.0 - StrictMath.pow(beta2, t));
      double stepSize = learningRate / biasCorrection1;
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
