package io.streamgrad.learn.drift;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells when training runs away rather than the data changing: the loss is averaged over blocks of
 * {@code window} labelled samples, and a block whose mean is more than {@code loss_factor} times
 * the best block mean so far is a divergence; so is an output of magnitude above {@code
 * output_limit}. Each signals once: a model that stays diverged raises one divergence until a block
 * (or an output) comes back within bounds, not one per block.
 *
 * <p>Blocks rather than a sliding window: one addition per sample and one comparison per block, so
 * the watch costs the step next to nothing.
 */
public final class DivergenceWatch {
  private final DivergenceSettings settings;
  private double blockSum;
  private int blockCount;
  private double best = Double.NaN;

  /** The block mean that last signalled, or NaN when the loss came back within bounds since. */
  private double lastSignalled = Double.NaN;

  private boolean outputArmed = true;
  private final Map<String, Double> evidence = new LinkedHashMap<>();

  public DivergenceWatch(DivergenceSettings settings) {
    this.settings = settings;
  }

  public DivergenceSettings settings() {
    return settings;
  }

  /** Takes a labelled sample's finite loss; true when it ends a block that diverged. */
  public boolean addLoss(double loss) {
    blockSum += loss;
    if (++blockCount < settings.window()) {
      return false;
    }
    double mean = blockSum / blockCount;
    blockSum = 0.0;
    blockCount = 0;
    if (!(mean >= best)) {
      best = mean; // also the first block, while best is NaN
      lastSignalled = Double.NaN;
      return false;
    }
    if (!(mean > settings.lossFactor() * best)) {
      lastSignalled = Double.NaN;
      return false;
    }
    if (mean <= settings.lossFactor() * lastSignalled) {
      return false; // the same divergence, not yet grown by another factor
    }
    lastSignalled = mean;
    evidence.clear();
    evidence.put("window_loss", mean);
    evidence.put("best_window_loss", best);
    evidence.put("loss_factor", settings.lossFactor());
    evidence.put("window", (double) settings.window());
    return true;
  }

  /** Takes a sample's outputs; true when one leaves the bound while none did before. */
  public boolean checkOutputs(double[] outputs) {
    double limit = settings.outputLimit();
    if (limit == Double.POSITIVE_INFINITY) {
      return false;
    }
    double largest = 0.0;
    for (double output : outputs) {
      largest = Math.max(largest, Math.abs(output));
    }
    if (!(largest > limit)) {
      outputArmed = true;
      return false;
    }
    if (!outputArmed) {
      return false;
    }
    outputArmed = false;
    evidence.clear();
    evidence.put("output", largest);
    evidence.put("output_limit", limit);
    return true;
  }

  /** What the last divergence compared, by name, in a fixed order. */
  public Map<String, Double> evidence() {
    return new LinkedHashMap<>(evidence);
  }

  public double[] state() {
    return new double[] {blockSum, blockCount, best, lastSignalled, outputArmed ? 1 : 0};
  }

  public void restore(double[] state) {
    if (state.length != 5) {
      throw new IllegalArgumentException(
          "a divergence watch state has 5 values, this one " + state.length);
    }
    blockSum = state[0];
    blockCount = (int) state[1];
    best = state[2];
    lastSignalled = state[3];
    outputArmed = state[4] != 0;
  }
}
