package io.streamgrad.learn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgrad.learn.inputs.InputSpec;
import io.streamgrad.learn.inputs.Preprocessing;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The model file's {@code inputs}, {@code strict_inputs}, {@code update_on_unlabelled}, {@code
 * target_scale} and {@code preprocessing} (the running statistics) fields, read and written for
 * {@link ModelFile} with its rules: an unknown field is an error naming the nearest known one, a
 * value of the wrong type an error naming the field.
 */
final class InputsFields {
  static final String STATE_FIELD = "preprocessing";

  private static final List<String> INPUT_FIELDS =
      List.of("name", "type", "scale", "values", "hash_buckets", "missing", "unknown");
  private static final List<String> STATE_FIELDS = List.of("unnamed_fields", "inputs", "target");
  private static final List<String> NUMERIC_STATE =
      List.of("name", "count", "mean", "m2", "min", "max");
  private static final List<String> SLOT_STATE = List.of("name", "count", "slot_counts");
  private static final List<String> TARGET_STATE = List.of("count", "mean", "m2", "min", "max");

  private InputsFields() {}

  /** The preprocessing of a model file, or null when it has none of these fields. */
  static Preprocessing parse(JsonNode root, int outputs) {
    JsonNode inputsNode = present(root, "inputs");
    boolean strict = bool(root, "strict_inputs");
    boolean unlabelled = bool(root, "update_on_unlabelled");
    boolean standardizeTarget = false;
    JsonNode targetScale = present(root, "target_scale");
    if (targetScale != null) {
      String scale = targetScale.isTextual() ? targetScale.asText() : "";
      switch (scale) {
        case "none" -> {}
        case "standard" -> standardizeTarget = true;
        default ->
            throw new IllegalArgumentException(
                "target_scale: expected \"none\" or \"standard\", got " + targetScale);
      }
    }
    JsonNode stateNode = present(root, STATE_FIELD);
    if (inputsNode == null && !strict && !unlabelled && !standardizeTarget && stateNode == null) {
      return null;
    }
    List<InputSpec> inputs = new ArrayList<>();
    if (inputsNode != null) {
      if (!inputsNode.isArray() || inputsNode.isEmpty()) {
        throw new IllegalArgumentException(
            "inputs: expected a non-empty array of {name, type, ...}, got " + inputsNode);
      }
      for (int i = 0; i < inputsNode.size(); i++) {
        inputs.add(input(inputsNode.get(i), "inputs[" + i + "]"));
      }
    } else if (strict || unlabelled) {
      throw new IllegalArgumentException(
          (strict ? "strict_inputs" : "update_on_unlabelled") + ": only with \"inputs\"");
    }
    Preprocessing spec = new Preprocessing(inputs, strict, unlabelled, standardizeTarget, null);
    if (stateNode == null) {
      return spec;
    }
    return new Preprocessing(
        inputs, strict, unlabelled, standardizeTarget, state(stateNode, spec, outputs));
  }

  private static InputSpec input(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": expected an object {name, type, ...}");
    }
    ModelFile.onlyKnownFields(node, INPUT_FIELDS, where + ".");
    String name = text(node, "name", where);
    where = where + " ('" + name + "')";
    InputSpec.Type type = choice(node, "type", InputSpec.Type.values(), null, where);
    InputSpec.Scale scale =
        choice(node, "scale", InputSpec.Scale.values(), InputSpec.Scale.NONE, where);
    InputSpec.Missing missing =
        choice(node, "missing", InputSpec.Missing.values(), InputSpec.Missing.REJECT, where);
    List<String> values = new ArrayList<>();
    JsonNode valuesNode = present(node, "values");
    if (valuesNode != null) {
      if (!valuesNode.isArray()) {
        throw new IllegalArgumentException(where + ".values: expected an array of strings");
      }
      for (JsonNode value : valuesNode) {
        if (!value.isTextual()) {
          throw new IllegalArgumentException(where + ".values: expected strings, got " + value);
        }
        values.add(value.asText());
      }
    }
    int buckets = 0;
    JsonNode bucketsNode = present(node, "hash_buckets");
    if (bucketsNode != null) {
      if (!bucketsNode.canConvertToInt()
          || !bucketsNode.isIntegralNumber()
          || bucketsNode.asInt() < 1) {
        throw new IllegalArgumentException(
            where + ".hash_buckets: expected an integer >= 1, got " + bucketsNode);
      }
      buckets = bucketsNode.asInt();
    }
    boolean rejectUnknown = false;
    JsonNode unknownNode = present(node, "unknown");
    if (unknownNode != null) {
      String policy = unknownNode.isTextual() ? unknownNode.asText() : "";
      if (!policy.equals("slot") && !policy.equals("reject")) {
        throw new IllegalArgumentException(
            where + ".unknown: expected \"slot\" or \"reject\", got " + unknownNode);
      }
      rejectUnknown = policy.equals("reject");
    }
    try {
      return new InputSpec(name, type, scale, values, buckets, missing, rejectUnknown);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  /**
   * The statistics of a {@code preprocessing} object, in {@link
   * io.streamgrad.learn.inputs.Preprocessor#state()}'s layout.
   */
  private static double[] state(JsonNode node, Preprocessing spec, int outputs) {
    String where = STATE_FIELD;
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": expected an object {inputs, target, ...}");
    }
    ModelFile.onlyKnownFields(node, STATE_FIELDS, where + ".");
    double[] state = new double[spec.stateSize(outputs)];
    state[0] = count(node, "unnamed_fields", where);
    int at = 1;
    JsonNode inputsNode = present(node, "inputs");
    List<InputSpec> inputs = spec.inputs();
    if (inputs.isEmpty() != (inputsNode == null)) {
      throw new IllegalArgumentException(
          where + ".inputs: expected one entry per input of \"inputs\"");
    }
    if (inputsNode != null) {
      if (!inputsNode.isArray() || inputsNode.size() != inputs.size()) {
        throw new IllegalArgumentException(
            where + ".inputs: expected " + inputs.size() + " entries, one per input");
      }
      for (int i = 0; i < inputs.size(); i++) {
        InputSpec input = inputs.get(i);
        JsonNode entry = inputsNode.get(i);
        String entryWhere = where + ".inputs[" + i + "]";
        if (!entry.isObject() || !input.name().equals(entry.path("name").asText())) {
          throw new IllegalArgumentException(
              entryWhere + ": expected the statistics of input '" + input.name() + "'");
        }
        if (input.type() == InputSpec.Type.NUMERIC) {
          ModelFile.onlyKnownFields(entry, NUMERIC_STATE, entryWhere + ".");
          moments(entry, state, at, entryWhere);
          at += 5;
        } else {
          ModelFile.onlyKnownFields(entry, SLOT_STATE, entryWhere + ".");
          state[at] = count(entry, "count", entryWhere);
          JsonNode slots = present(entry, "slot_counts");
          if (slots == null || !slots.isArray() || slots.size() != input.width()) {
            throw new IllegalArgumentException(
                entryWhere + ".slot_counts: expected " + input.width() + " counts");
          }
          for (int s = 0; s < slots.size(); s++) {
            JsonNode c = slots.get(s);
            if (!c.isIntegralNumber() || c.asLong() < 0) {
              throw new IllegalArgumentException(
                  entryWhere + ".slot_counts[" + s + "]: expected a count");
            }
            state[at + 1 + s] = c.asLong();
          }
          at += 1 + input.width();
        }
      }
    }
    JsonNode targetNode = present(node, "target");
    int targets = spec.standardizeTarget() ? outputs : 0;
    if (targets > 0 || targetNode != null) {
      if (targetNode == null || !targetNode.isArray() || targetNode.size() != targets) {
        throw new IllegalArgumentException(
            where + ".target: expected " + targets + " entries, one per output scaled");
      }
      for (int k = 0; k < targets; k++) {
        JsonNode entry = targetNode.get(k);
        ModelFile.onlyKnownFields(entry, TARGET_STATE, where + ".target[" + k + "].");
        moments(entry, state, at, where + ".target[" + k + "]");
        at += 5;
      }
    }
    return state;
  }

  private static void moments(JsonNode entry, double[] state, int at, String where) {
    state[at] = count(entry, "count", where);
    state[at + 1] = finite(entry, "mean", where);
    state[at + 2] = finite(entry, "m2", where);
    state[at + 3] = finite(entry, "min", where);
    state[at + 4] = finite(entry, "max", where);
    if (state[at + 2] < 0) {
      throw new IllegalArgumentException(where + ".m2 must be >= 0");
    }
  }

  private static double count(JsonNode node, String field, String where) {
    JsonNode value = present(node, field);
    if (value == null) {
      return 0;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
      throw new IllegalArgumentException(where + "." + field + ": expected a count, got " + value);
    }
    return value.asLong();
  }

  private static double finite(JsonNode node, String field, String where) {
    JsonNode value = present(node, field);
    if (value == null) {
      return 0.0;
    }
    if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
      throw new IllegalArgumentException(
          where + "." + field + ": expected a finite number, got " + value);
    }
    return value.doubleValue();
  }

  /** Writes the spec's fields (no statistics): what {@link ModelFile#specNode} holds. */
  static void write(ObjectNode root, Preprocessing spec) {
    if (spec == null) {
      return;
    }
    if (spec.hasInputs()) {
      ArrayNode inputs = root.putArray("inputs");
      for (InputSpec input : spec.inputs()) {
        ObjectNode node =
            inputs.addObject().put("name", input.name()).put("type", input.type().fileName());
        if (input.type() == InputSpec.Type.NUMERIC) {
          node.put("scale", input.scale().fileName());
        }
        if (!input.values().isEmpty()) {
          ArrayNode values = node.putArray("values");
          input.values().forEach(values::add);
          node.put("unknown", input.rejectUnknown() ? "reject" : "slot");
        }
        if (input.hashBuckets() > 0) {
          node.put("hash_buckets", input.hashBuckets());
        }
        node.put("missing", input.missing().fileName());
      }
      root.put("strict_inputs", spec.strictInputs());
      root.put("update_on_unlabelled", spec.updateOnUnlabelled());
    }
    if (spec.standardizeTarget()) {
      root.put("target_scale", "standard");
    }
  }

  /** Writes the statistics of a trained model as its {@code preprocessing} object. */
  static void writeState(ObjectNode root, Preprocessing spec, double[] state, int outputs) {
    ObjectNode node = root.putObject(STATE_FIELD);
    node.put("unnamed_fields", (long) state[0]);
    int at = 1;
    if (spec.hasInputs()) {
      ArrayNode inputs = node.putArray("inputs");
      for (InputSpec input : spec.inputs()) {
        ObjectNode entry = inputs.addObject().put("name", input.name());
        if (input.type() == InputSpec.Type.NUMERIC) {
          putMoments(entry, state, at);
          at += 5;
        } else {
          entry.put("count", (long) state[at]);
          ArrayNode slots = entry.putArray("slot_counts");
          for (int s = 0; s < input.width(); s++) {
            slots.add((long) state[at + 1 + s]);
          }
          at += 1 + input.width();
        }
      }
    }
    if (spec.standardizeTarget()) {
      ArrayNode target = node.putArray("target");
      for (int k = 0; k < outputs; k++) {
        putMoments(target.addObject(), state, at);
        at += 5;
      }
    }
  }

  private static void putMoments(ObjectNode entry, double[] state, int at) {
    entry
        .put("count", (long) state[at])
        .put("mean", state[at + 1])
        .put("m2", state[at + 2])
        .put("min", state[at + 3])
        .put("max", state[at + 4]);
  }

  private static <E extends Enum<E>> E choice(
      JsonNode node, String field, E[] choices, E fallback, String where) {
    JsonNode value = present(node, field);
    List<String> names = new ArrayList<>();
    for (E choice : choices) {
      names.add(choice.name().toLowerCase(Locale.ROOT));
    }
    if (value == null) {
      if (fallback == null) {
        throw new IllegalArgumentException(
            where + "." + field + ": missing; accepted: " + String.join(", ", names));
      }
      return fallback;
    }
    int index = value.isTextual() ? names.indexOf(value.asText()) : -1;
    if (index < 0) {
      throw new IllegalArgumentException(
          where + "." + field + ": unknown " + value + "; accepted: " + String.join(", ", names));
    }
    return choices[index];
  }

  private static JsonNode present(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = present(node, field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new IllegalArgumentException(where + "." + field + ": expected a non-empty string");
    }
    return value.asText();
  }

  private static boolean bool(JsonNode node, String field) {
    JsonNode value = present(node, field);
    if (value == null) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new IllegalArgumentException(field + ": expected true or false, got " + value);
    }
    return value.booleanValue();
  }
}
