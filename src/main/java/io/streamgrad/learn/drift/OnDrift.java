package io.streamgrad.learn.drift;

import java.util.Locale;

/** The model file's {@code "on_drift"}: what a model does when its detector signals a drift. */
public enum OnDrift {
  /** An event, nothing else. */
  NONE,
  /** Clears the optimizer's buffers (momentum, moments), so old gradients stop steering. */
  RESET_OPTIMIZER,
  /** Draws fresh weights and clears the optimizer: the model learns the new data from scratch. */
  RESET_MODEL;

  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static OnDrift fromFileName(String name) {
    for (OnDrift reaction : values()) {
      if (reaction.fileName().equals(name)) {
        return reaction;
      }
    }
    throw new IllegalArgumentException(
        "on_drift: unknown '" + name + "'; accepted: none, reset_optimizer, reset_model");
  }
}
