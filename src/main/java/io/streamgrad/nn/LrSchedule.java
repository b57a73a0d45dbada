package io.streamgrad.nn;

/**
 * A learning-rate schedule, stepped once per optimizer step, as PyTorch's scheduler of the same
 * kind: step t (counted from 0) uses the rate the scheduler sets after t calls of {@code
 * scheduler.step()}.
 *
 * <p>Every rate is a function of the base rate and t alone, so a schedule carries no state of its
 * own: t is the optimizer's step count, which the checkpoint and the model file already keep. Where
 * PyTorch multiplies the previous rate (StepLR, ExponentialLR, LinearLR), the closed form here
 * agrees with it up to rounding in the last bits. Powers and cosines come from {@link StrictMath},
 * so the rate has the same bits on every JVM.
 */
public sealed interface LrSchedule
    permits LrSchedule.Step,
        LrSchedule.Exponential,
        LrSchedule.CosineWarmRestarts,
        LrSchedule.LinearWarmup,
        LrSchedule.InverseTime {

  /** The rate of step t (t ≥ 0) for a base rate. */
  double rate(double base, long t);

  /** torch.optim.lr_scheduler.StepLR: η·γ^⌊t / step_size⌋. */
  record Step(long stepSize, double gamma) implements LrSchedule {
    public Step {
      requireAtLeastOne("step_size", stepSize);
      requireFactor("gamma", gamma);
    }

    @Override
    public double rate(double base, long t) {
      return base * StrictMath.pow(gamma, (double) (t / stepSize));
    }
  }

  /** torch.optim.lr_scheduler.ExponentialLR: η·γ^t. */
  record Exponential(double gamma) implements LrSchedule {
    public Exponential {
      requireFactor("gamma", gamma);
    }

    @Override
    public double rate(double base, long t) {
      return base * StrictMath.pow(gamma, (double) t);
    }
  }

  /**
   * torch.optim.lr_scheduler.CosineAnnealingWarmRestarts (Loshchilov and Hutter, 2017, "SGDR:
   * Stochastic Gradient Descent with Warm Restarts"): cycles of t_0, t_0·t_mult, t_0·t_mult², ...
   * steps; at position c of a cycle of length T the rate is η_min + (η − η_min)(1 + cos(πc/T))/2,
   * so each cycle restarts at η.
   */
  record CosineWarmRestarts(long t0, long tMult, double etaMin) implements LrSchedule {
    public CosineWarmRestarts {
      requireAtLeastOne("t_0", t0);
      requireAtLeastOne("t_mult", tMult);
      if (!(etaMin >= 0.0) || !Double.isFinite(etaMin)) {
        throw new IllegalArgumentException(
            "lr_schedule.eta_min must be a finite number >= 0, got " + etaMin);
      }
    }

    @Override
    public double rate(double base, long t) {
      long[] cycle = cycle(t);
      return etaMin + (base - etaMin) * (1 + StrictMath.cos(Math.PI * cycle[0] / cycle[1])) / 2;
    }

    /**
     * True when step t starts a new cycle (not the first one): the rate jumps back to the base rate
     * there.
     */
    public boolean restartsAt(long t) {
      return t > 0 && cycle(t)[0] == 0;
    }

    /** {position in its cycle, length of its cycle} of step t: PyTorch's T_cur and T_i. */
    private long[] cycle(long t) {
      if (tMult == 1) {
        return new long[] {t % t0, t0};
      }
      long position = t;
      long length = t0;
      while (position >= length) {
        position -= length;
        // Past Long.MAX_VALUE no step can reach the cycle's end anyway.
        length = length > Long.MAX_VALUE / tMult ? Long.MAX_VALUE : length * tMult;
      }
      return new long[] {position, length};
    }
  }

  /**
   * torch.optim.lr_scheduler.LinearLR up to factor 1: η·(s + (1 − s)·min(t, n)/n) for start factor
   * s and n total iterations; from step n on, η.
   */
  record LinearWarmup(double startFactor, long totalIters) implements LrSchedule {
    public LinearWarmup {
      if (!(startFactor > 0.0 && startFactor <= 1.0)) {
        throw new IllegalArgumentException(
            "lr_schedule.start_factor must lie in (0, 1], got " + startFactor);
      }
      requireAtLeastOne("total_iters", totalIters);
    }

    @Override
    public double rate(double base, long t) {
      return base * (startFactor + (1.0 - startFactor) * Math.min(totalIters, t) / totalIters);
    }
  }

  /**
   * η / (1 + decay·t)^power, Vowpal Wabbit's decay with power_t (in PyTorch: LambdaLR with that
   * function).
   */
  record InverseTime(double decay, double power) implements LrSchedule {
    public InverseTime {
      if (!(decay >= 0.0) || !Double.isFinite(decay)) {
        throw new IllegalArgumentException(
            "lr_schedule.decay must be a finite number >= 0, got " + decay);
      }
      if (!(power >= 0.0) || !Double.isFinite(power)) {
        throw new IllegalArgumentException(
            "lr_schedule.power must be a finite number >= 0, got " + power);
      }
    }

    @Override
    public double rate(double base, long t) {
      return base * (1.0 / StrictMath.pow(1.0 + decay * t, power));
    }
  }

  private static void requireAtLeastOne(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException("lr_schedule." + name + " must be >= 1, got " + value);
    }
  }

  /** A factor that shrinks the rate: a schedule that grows it without end only ever diverges. */
  private static void requireFactor(String name, double value) {
    if (!(value > 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(
          "lr_schedule." + name + " must lie in (0, 1], got " + value);
    }
  }
}
