package io.streamgrad.learn.inputs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live preprocessing of one learner: turns a sample's values (named, or an array in the order
 * of the inputs) into the network's input vector with the running statistics of the samples before
 * it, then takes the sample into those statistics. Encoding reads the statistics only, so a sample
 * refused half-way changes nothing; {@link #takeIn} is the one place they change.
 *
 * <p>The statistics per input: a numeric one keeps count, mean, M2, minimum and maximum ({@link
 * NumericScales}, in columns, missing values not counted); a categorical or boolean one keeps its
 * count and the count of each slot (for {@code "missing": "mean"}, the frequencies). Not
 * thread-safe.
 */
public final class Preprocessor {
  private final Preprocessing spec;
  private final List<InputSpec> inputs;
  private final int width;
  private final int outputs;
  private final Map<String, Integer>[] vocabularies;

  /** The numeric inputs' moments, and the shifts and divisors that scale them. */
  private final NumericScales scales;

  /** True when every input is numeric: one slot each, in the order of the inputs. */
  private final boolean allNumeric;

  private final long[] seen;
  private final long[][] slotCounts;
  private final RunningMoments[] target;
  private long unnamedFields;

  /** Per input, the raw number of the last encoded sample, NaN when missing. */
  private final double[] lastValue;

  /** Per input, the slot of the last encoded category or boolean, -1 when missing. */
  private final int[] lastSlot;

  private int lastUnnamed;

  /** True when the last encode took the all-numbers path: every lastValue a number to take in. */
  private boolean lastAllNumbers;

  /** Each input's index, by name: which fields of a record are inputs. */
  private final Map<String, Integer> inputIndex = new HashMap<>();

  /** Each input's first slot in the input vector. */
  private final int[] offsets;

  /** The field names the layout below was resolved for (records that repeat them reuse it). */
  private FieldNames layoutNames;

  /** Per input, the field of layoutNames that holds its value, or -1 when none does. */
  private int[] fieldOfInput;

  /** True when every input has a field in layoutNames. */
  private boolean layoutComplete;

  /** The fields of layoutNames that no input names, and the first of them. */
  private int layoutUnnamed;

  private String layoutFirstUnnamed;

  @SuppressWarnings("unchecked") // an array of a generic type: Java allows no other way
  public Preprocessor(Preprocessing spec, int outputs) {
    this.spec = spec;
    this.inputs = spec.inputs();
    this.width = spec.width();
    this.outputs = outputs;
    int n = inputs.size();
    seen = new long[n];
    slotCounts = new long[n][];
    vocabularies = new Map[n];
    for (int i = 0; i < n; i++) {
      InputSpec input = inputs.get(i);
      if (input.type() != InputSpec.Type.NUMERIC) {
        slotCounts[i] = new long[input.width()];
      }
      if (!input.values().isEmpty()) {
        Map<String, Integer> vocabulary = new HashMap<>();
        for (String value : input.values()) {
          vocabulary.put(value, vocabulary.size());
        }
        vocabularies[i] = vocabulary;
      }
    }
    target = new RunningMoments[spec.standardizeTarget() ? outputs : 0];
    for (int k = 0; k < target.length; k++) {
      target[k] = new RunningMoments();
    }
    scales = new NumericScales(inputs);
    allNumeric = inputs.stream().allMatch(input -> input.type() == InputSpec.Type.NUMERIC);
    lastValue = new double[n];
    lastSlot = new int[n];
    offsets = new int[n];
    for (int i = 0, at = 0; i < n; i++) {
      inputIndex.put(inputs.get(i).name(), i);
      offsets[i] = at;
      at += inputs.get(i).width();
    }
    if (spec.startState() != null) {
      restore(spec.startState());
    }
  }

  public Preprocessing spec() {
    return spec;
  }

  /** Fields of named samples that no input names, counted since the model was created. */
  public long unnamedFields() {
    return unnamedFields;
  }

  /**
   * The input vector of a named sample. A field no input names is counted (or, with {@code
   * strict_inputs}, refused); a value that is absent or null gets the input's missing policy.
   *
   * @throws InputException naming the input whose value cannot be taken
   */
  public double[] encode(Map<String, ?> named) {
    if (named instanceof NamedValues values) {
      return encode(values);
    }
    lastAllNumbers = false;
    double[] x = new double[width];
    int present = 0;
    int at = 0;
    for (int i = 0; i < inputs.size(); i++) {
      InputSpec input = inputs.get(i);
      Object value = named.get(input.name());
      if (value != null || named.containsKey(input.name())) {
        present++;
      }
      encodeValue(i, input, value, x, at);
      at += input.width();
    }
    int unnamed = named.size() - present;
    if (unnamed > 0 && spec.strictInputs()) {
      throw new InputException(
          InputException.Kind.BAD_INPUT,
          "field '" + firstUnnamed(named) + "' is not an input of the model (strict_inputs)");
    }
    lastUnnamed = unnamed;
    return x;
  }

  /**
   * {@link #encode(Map)} of values read field by field: each input's value taken from its field by
   * the layout of the record's field names (resolved once while they repeat), a number with no
   * boxing. The same vector, statistics and errors as through the map.
   */
  private double[] encode(NamedValues values) {
    int[] fields = layout(values.names);
    double[] x = new double[width];
    lastAllNumbers = allNumeric && layoutComplete && encodeNumbers(values, fields, x);
    if (!lastAllNumbers) {
      encodeEach(values, fields, x);
    }
    if (layoutUnnamed > 0 && spec.strictInputs()) {
      throw new InputException(
          InputException.Kind.BAD_INPUT,
          "field '" + layoutFirstUnnamed + "' is not an input of the model (strict_inputs)");
    }
    lastUnnamed = layoutUnnamed;
    return x;
  }

  /**
   * The usual record of a model whose inputs are all numeric: every input's field holds a finite
   * number. Takes them into lastValue and scales them in one loop; false (x and lastValue to be
   * written again) when one value is not such a number, whose error the input-by-input path words.
   */
  private boolean encodeNumbers(NamedValues values, int[] fields, double[] x) {
    byte[] kinds = values.kinds;
    double[] numbers = values.numbers;
    for (int i = 0; i < fields.length; i++) {
      int field = fields[i];
      double v = numbers[field];
      if (kinds[field] != NamedValues.NUMBER || !Double.isFinite(v)) {
        return false;
      }
      lastValue[i] = v;
    }
    scales.scaleAll(lastValue, x, fields.length);
    return true;
  }

  /** Each input's value into its slots, one input after the other. */
  private void encodeEach(NamedValues values, int[] fields, double[] x) {
    for (int i = 0; i < fields.length; i++) {
      InputSpec input = inputs.get(i);
      int field = fields[i];
      if (field >= 0
          && values.kinds[field] == NamedValues.NUMBER
          && input.type() == InputSpec.Type.NUMERIC) {
        encodeNumber(i, input, values.numbers[field], x, offsets[i]);
      } else {
        encodeValue(i, input, field < 0 ? null : values.value(field), x, offsets[i]);
      }
    }
  }

  /**
   * Per input, the field of names that holds it (-1 for none); resolved again when names change.
   */
  private int[] layout(FieldNames names) {
    if (names != layoutNames) {
      int[] fields = new int[inputs.size()];
      java.util.Arrays.fill(fields, -1);
      int unnamed = 0;
      String firstUnnamed = null;
      for (int f = 0; f < names.size(); f++) {
        Integer input = inputIndex.get(names.get(f));
        if (input != null) {
          fields[input] = f;
        } else if (unnamed++ == 0) {
          firstUnnamed = names.get(f);
        }
      }
      fieldOfInput = fields;
      layoutComplete = names.size() - unnamed == inputs.size() && !names.duplicated();
      layoutUnnamed = unnamed;
      layoutFirstUnnamed = firstUnnamed;
      layoutNames = names;
    }
    return fieldOfInput;
  }

  /**
   * The input vector of an array of values in the order of the inputs, for a model whose inputs are
   * all numeric or boolean (a boolean as 0 or 1).
   *
   * @throws InputException for a count that is not the inputs', a non-finite number, a boolean that
   *     is not 0 or 1
   */
  public double[] encode(double[] values) {
    if (!spec.takesArrays()) {
      throw new InputException(
          InputException.Kind.BAD_INPUT,
          "the model has categorical inputs, so its samples name their features"
              + " (\"features\": {\"name\": value, ...}), not an array");
    }
    if (values.length != inputs.size()) {
      throw new InputException(
          InputException.Kind.WRONG_COUNT,
          "the model takes " + inputs.size() + " inputs, the sample has " + values.length);
    }
    double[] x = new double[width];
    lastAllNumbers = allNumeric && allFinite(values);
    if (lastAllNumbers) {
      System.arraycopy(values, 0, lastValue, 0, values.length);
      scales.scaleAll(values, x, values.length);
      lastUnnamed = 0;
      return x;
    }
    for (int i = 0; i < values.length; i++) {
      InputSpec input = inputs.get(i);
      if (input.type() == InputSpec.Type.NUMERIC) {
        encodeNumber(i, input, values[i], x, i);
      } else {
        encodeValue(i, input, values[i], x, i);
      }
    }
    lastUnnamed = 0;
    return x;
  }

  private static boolean allFinite(double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private void encodeValue(int i, InputSpec input, Object value, double[] x, int at) {
    lastValue[i] = Double.NaN;
    lastSlot[i] = -1;
    if (value == null) {
      missing(i, input, x, at);
      return;
    }
    switch (input.type()) {
      case NUMERIC -> {
        if (!(value instanceof Number number)) {
          throw new InputException(
              InputException.Kind.BAD_INPUT,
              "input '" + input.name() + "' is numeric, got " + shown(value));
        }
        encodeNumber(i, input, number.doubleValue(), x, at);
      }
      case BOOLEAN -> {
        int slot = booleanSlot(value);
        if (slot < 0) {
          throw new InputException(
              value instanceof Double d && !Double.isFinite(d)
                  ? InputException.Kind.NON_FINITE
                  : InputException.Kind.BAD_INPUT,
              "input '" + input.name() + "' is boolean (true, false, 1 or 0), got " + shown(value));
        }
        lastSlot[i] = slot;
        x[at] = slot;
      }
      case CATEGORICAL -> {
        String category = category(input, value);
        int slot;
        if (input.hashBuckets() > 0) {
          slot = Murmur3.slot(category, input.hashBuckets());
        } else {
          Integer known = vocabularies[i].get(category);
          if (known == null && input.rejectUnknown()) {
            throw new InputException(
                InputException.Kind.BAD_INPUT,
                "input '"
                    + input.name()
                    + "': '"
                    + category
                    + "' is not one of its values (\"unknown\": \"reject\")");
          }
          slot = known != null ? known : input.values().size();
        }
        lastSlot[i] = slot;
        x[at + slot] = 1.0;
      }
    }
  }

  /** A numeric input's value: checked, kept for {@link #takeIn}, scaled into its slot. */
  private void encodeNumber(int i, InputSpec input, double v, double[] x, int at) {
    lastValue[i] = Double.NaN;
    lastSlot[i] = -1;
    if (!Double.isFinite(v)) {
      throw new InputException(
          InputException.Kind.NON_FINITE, "input '" + input.name() + "' is " + v);
    }
    lastValue[i] = v;
    x[at] = scaled(i, v);
  }

  private void missing(int i, InputSpec input, double[] x, int at) {
    switch (input.missing()) {
      case REJECT ->
          throw new InputException(
              InputException.Kind.BAD_INPUT,
              "input '" + input.name() + "' is missing (its \"missing\" policy is reject)");
      case ZERO -> {} // the slots are 0 already
      case MEAN -> {
        if (input.type() == InputSpec.Type.NUMERIC) {
          x[at] = scaled(i, scales.mean(i));
        } else if (seen[i] > 0) {
          long[] counts = slotCounts[i];
          for (int s = 0; s < counts.length; s++) {
            x[at + s] = (double) counts[s] / seen[i];
          }
        }
      }
    }
  }

  private double scaled(int i, double v) {
    return scales.scaled(i, v);
  }

  /**
   * 1 for true, 0 for false, -1 for anything else; numbers 1 and 0 stand for them (CSV, arrays).
   */
  private static int booleanSlot(Object value) {
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return d == 1.0 ? 1 : d == 0.0 ? 0 : -1;
    }
    return -1;
  }

  /**
   * A category's text: a string as it is; a whole number as its digits ("3", as a CSV cell or a
   * JSON producer writes it); any other number in Java's shortest form; a boolean as true/false.
   */
  private static String category(InputSpec input, Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Boolean b) {
      return b.toString();
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        throw new InputException(
            InputException.Kind.NON_FINITE, "input '" + input.name() + "' is " + d);
      }
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
    throw new InputException(
        InputException.Kind.BAD_INPUT,
        "input '" + input.name() + "' is categorical, got " + shown(value));
  }

  private String firstUnnamed(Map<String, ?> named) {
    for (String field : named.keySet()) {
      boolean known = false;
      for (InputSpec input : inputs) {
        known |= input.name().equals(field);
      }
      if (!known) {
        return field;
      }
    }
    return "";
  }

  private static String shown(Object value) {
    if (value instanceof String s) {
      return "the string \"" + (s.length() <= 40 ? s : s.substring(0, 37) + "...") + "\"";
    }
    return value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + value;
  }

  /**
   * Takes the sample of the last encode into the statistics: after its prediction, so that no
   * sample is ever encoded with statistics that have seen it.
   */
  public void takeIn() {
    unnamedFields += lastUnnamed;
    lastUnnamed = 0;
    if (lastAllNumbers) {
      scales.addAll(lastValue, inputs.size());
      return;
    }
    for (int i = 0; i < inputs.size(); i++) {
      if (slotCounts[i] == null) {
        if (!Double.isNaN(lastValue[i])) {
          scales.add(i, lastValue[i]);
        }
      } else if (lastSlot[i] >= 0) {
        seen[i]++;
        if (inputs.get(i).type() == InputSpec.Type.BOOLEAN) {
          slotCounts[i][0] += lastSlot[i]; // the count of true
        } else {
          slotCounts[i][lastSlot[i]]++;
        }
      }
    }
  }

  /** Counts the unnamed fields of the last encode without taking its values in. */
  public void countUnnamed() {
    unnamedFields += lastUnnamed;
    lastUnnamed = 0;
  }

  /** True when the network learns standardised targets. */
  public boolean scalesTarget() {
    return target.length > 0;
  }

  /**
   * The network's outputs in the user's units: output × std + mean of the targets before this
   * sample (std taken as 1 while it is 0). A new array.
   */
  public double[] toUserUnits(double[] networkOutputs) {
    double[] user = networkOutputs.clone();
    for (int k = 0; k < target.length; k++) {
      double std = target[k].std();
      user[k] = user[k] * (std > 0 ? std : 1.0) + target[k].mean;
    }
    return user;
  }

  /**
   * Takes a label into the target statistics and gives it standardised by them, the sample's own
   * value included: the network's first targets are then 0 and ±1, not raw values that would throw
   * its weights far (the prediction was made before, with the statistics without it).
   */
  public double[] takeInTarget(double[] label) {
    double[] scaled = new double[label.length];
    for (int k = 0; k < target.length; k++) {
      target[k].add(label[k]);
      double std = target[k].std();
      scaled[k] = (label[k] - target[k].mean) / (std > 0 ? std : 1.0);
    }
    return scaled;
  }

  /**
   * Every statistic as doubles, in a layout fixed by the spec: the unnamed-field count, then per
   * input its statistics (numeric: count, mean, M2, min, max; otherwise: count, then each slot's
   * count), then per output the target's (count, mean, M2, min, max). Counts are exact in a double
   * up to 2^53.
   */
  public double[] state() {
    double[] state = new double[spec.stateSize(outputs)];
    state[0] = unnamedFields;
    int at = 1;
    for (int i = 0; i < inputs.size(); i++) {
      if (slotCounts[i] == null) {
        scales.writeTo(i, state, at);
      } else {
        state[at] = seen[i];
        for (int s = 0; s < slotCounts[i].length; s++) {
          state[at + 1 + s] = slotCounts[i][s];
        }
      }
      at += Preprocessing.stateSize(inputs.get(i));
    }
    for (RunningMoments t : target) {
      t.writeTo(state, at);
      at += RunningMoments.SIZE;
    }
    return state;
  }

  /**
   * Puts back the statistics of {@link #state()}, bit for bit.
   *
   * @throws IllegalArgumentException when the state is not of this spec's layout
   */
  public void restore(double[] state) {
    if (state.length != spec.stateSize(outputs)) {
      throw new IllegalArgumentException(
          "preprocessing state holds "
              + state.length
              + " values where the inputs need "
              + spec.stateSize(outputs));
    }
    unnamedFields = (long) state[0];
    int at = 1;
    for (int i = 0; i < inputs.size(); i++) {
      if (slotCounts[i] == null) {
        scales.readFrom(i, state, at);
      } else {
        seen[i] = (long) state[at];
        for (int s = 0; s < slotCounts[i].length; s++) {
          slotCounts[i][s] = (long) state[at + 1 + s];
        }
      }
      at += Preprocessing.stateSize(inputs.get(i));
    }
    for (RunningMoments t : target) {
      t.readFrom(state, at);
      at += RunningMoments.SIZE;
    }
  }
}
