package io.streamgrad.nn;

/**
 * The class a classifier decides on, for the zero-one metric (never trained on): argmax of a
 * softmax, ŷ ≥ 0.5 for a single sigmoid output, the sign for a single hinge output.
 */
public final class Decision {
  /** A regression, or a multi-output model that decides per output: no single class. */
  public static final int NONE = Integer.MIN_VALUE;

  private Decision() {}

  public static boolean isClassifier(Architecture architecture) {
    return kind(architecture) != Kind.NONE;
  }

  /** The decided class, or {@link #NONE}. */
  public static int of(Architecture architecture, double[] output) {
    return switch (kind(architecture)) {
      case ARGMAX -> argmax(output);
      case THRESHOLD -> output[0] >= 0.5 ? 1 : 0;
      case SIGN -> output[0] >= 0.0 ? 1 : -1;
      case NONE -> NONE;
    };
  }

  /** The class a target names, comparable with {@link #of}. */
  public static int ofTarget(Architecture architecture, double[] target) {
    return switch (kind(architecture)) {
      case ARGMAX -> (int) target[0];
      case THRESHOLD -> target[0] >= 0.5 ? 1 : 0;
      case SIGN -> target[0] >= 0.0 ? 1 : -1;
      case NONE -> NONE;
    };
  }

  private enum Kind {
    ARGMAX,
    THRESHOLD,
    SIGN,
    NONE
  }

  private static Kind kind(Architecture architecture) {
    if (architecture.outputActivation() == Activation.SOFTMAX) {
      return architecture.outputs() > 1 ? Kind.ARGMAX : Kind.NONE;
    }
    if (architecture.outputs() != 1) {
      return Kind.NONE;
    }
    if (architecture.loss() == Loss.HINGE) {
      return Kind.SIGN;
    }
    if (architecture.outputActivation() == Activation.SIGMOID) {
      return Kind.THRESHOLD;
    }
    return Kind.NONE;
  }

  private static int argmax(double[] output) {
    int best = 0;
    for (int k = 1; k < output.length; k++) {
      if (output[k] > output[best]) {
        best = k;
      }
    }
    return best;
  }
}
