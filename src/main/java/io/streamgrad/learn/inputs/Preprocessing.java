package io.streamgrad.learn.inputs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a model does to a sample's values before its network sees them: the model file's {@code
 * inputs}, {@code strict_inputs}, {@code update_on_unlabelled} and {@code target_scale}
 * (docs/model-file.md, "Inputs"), with the running statistics to start from (a warm start), if any.
 * Immutable; {@link Preprocessor} is the live state.
 *
 * @param inputs the named inputs in the order of the network's input vector; empty when only the
 *     target is scaled (the features are then the network's input as they come)
 * @param strictInputs a sample naming a field the inputs do not name is refused, not counted
 * @param updateOnUnlabelled the statistics of the inputs also take in unlabelled samples
 * @param standardizeTarget {@code "target_scale": "standard"}: the network learns standardised
 *     targets, and answers in the user's units
 * @param startState the statistics to start from ({@link Preprocessor#state()}), or null
 */
public record Preprocessing(
    List<InputSpec> inputs,
    boolean strictInputs,
    boolean updateOnUnlabelled,
    boolean standardizeTarget,
    double[] startState) {

  public Preprocessing {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    Map<String, Integer> seen = new HashMap<>();
    for (InputSpec input : inputs) {
      if (seen.put(input.name(), seen.size()) != null) {
        throw new IllegalArgumentException("inputs: '" + input.name() + "' is named twice");
      }
    }
  }

  public boolean hasInputs() {
    return !inputs.isEmpty();
  }

  /** The width of the encoded vector: the sum of the inputs' widths. */
  public int width() {
    int width = 0;
    for (InputSpec input : inputs) {
      width += input.width();
    }
    return width;
  }

  /** Each input with its width, as "amount: 1, country: 4", for messages. */
  public String widths() {
    StringJoiner text = new StringJoiner(", ");
    for (InputSpec input : inputs) {
      text.add(input.name() + ": " + input.width());
    }
    return text.toString();
  }

  /** True when an array of numbers can stand for the inputs: all numeric or boolean. */
  public boolean takesArrays() {
    for (InputSpec input : inputs) {
      if (input.type() == InputSpec.Type.CATEGORICAL) {
        return false;
      }
    }
    return true;
  }

  /** The same settings, starting from no statistics: what a checkpoint's spec remembers. */
  public Preprocessing withoutStartingPoint() {
    return startState == null
        ? this
        : new Preprocessing(inputs, strictInputs, updateOnUnlabelled, standardizeTarget, null);
  }

  /** The doubles an input's statistics take in {@link Preprocessor#state()}. */
  static int stateSize(InputSpec input) {
    return input.type() == InputSpec.Type.NUMERIC ? RunningMoments.SIZE : 1 + input.width();
  }

  /** The length of {@link Preprocessor#state()} for a network of this many outputs. */
  public int stateSize(int outputs) {
    int size = 1; // the unnamed-field count
    for (InputSpec input : inputs) {
      size += stateSize(input);
    }
    return size + (standardizeTarget ? RunningMoments.SIZE * outputs : 0);
  }
}
