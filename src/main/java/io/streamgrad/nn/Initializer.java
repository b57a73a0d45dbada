package io.streamgrad.nn;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded initial weights. {@link SplittableRandom}'s algorithm is fixed by its specification, so
 * the same architecture, scheme and seed give the same bits on every JVM and machine.
 */
public enum Initializer {
  /** Glorot uniform: U(−a, a), a = √(6 / (in + out)); biases 0. */
  XAVIER,
  /** He (Kaiming) uniform for relu: U(−a, a), a = √(6 / in); biases 0. */
  HE,
  /** torch.nn.Linear's default: weights and biases U(−a, a), a = 1 / √in. */
  UNIFORM;

  public double[] initialParameters(Architecture architecture, long seed) {
    double[] params = new double[architecture.parameters()];
    SplittableRandom random = new SplittableRandom(seed);
    for (int l = 0; l < architecture.layers().size(); l++) {
      LayerShape layer = architecture.layers().get(l);
      double bound =
          switch (this) {
            case XAVIER -> Math.sqrt(6.0 / (layer.in() + layer.out()));
            case HE -> Math.sqrt(6.0 / layer.in());
            case UNIFORM -> 1.0 / Math.sqrt(layer.in());
          };
      int w = architecture.weightOffset(l);
      for (int k = 0; k < layer.weights(); k++) {
        params[w + k] = uniform(random, bound);
      }
      if (this == UNIFORM) {
        int b = architecture.biasOffset(l);
        for (int j = 0; j < layer.out(); j++) {
          params[b + j] = uniform(random, bound);
        }
      }
    }
    return params;
  }

  private static double uniform(SplittableRandom random, double bound) {
    return (2.0 * random.nextDouble() - 1.0) * bound;
  }

  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Initializer fromFileName(String name) {
    for (Initializer init : values()) {
      if (init.fileName().equals(name)) {
        return init;
      }
    }
    throw new IllegalArgumentException(
        "unknown init '" + name + "'; accepted: xavier, he, uniform");
  }
}
