package io.streamgrad.learn.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamgrad.learn.inputs.InputSpec.Missing;
import io.streamgrad.learn.inputs.InputSpec.Scale;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shifts and divisors kept per input scale every value to the bits {@link RunningMoments} gives
 * it, on the vector path of a model whose inputs are all numeric and on the input-by-input path of
 * a mixed one.
 */
class NumericScalesTest {
  private static final Scale[] SCALES = {Scale.STANDARD, Scale.MINMAX, Scale.NONE};

  /** Inputs x0, x1, … of each scale in turn; x3 is constant, so its spread stays 0. */
  private static List<InputSpec> numericInputs(int n) {
    return numericInputs(n, SCALES);
  }

  private static List<InputSpec> numericInputs(int n, Scale... scales) {
    List<InputSpec> inputs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      inputs.add(
          new InputSpec(
              "x" + i,
              InputSpec.Type.NUMERIC,
              scales[i % scales.length],
              null,
              0,
              Missing.ZERO,
              false));
    }
    return inputs;
  }

  private static double value(Random random, int input) {
    return input == 3 ? 42.5 : 1e6 + 5e4 * random.nextGaussian() * (input % 2 == 0 ? 1 : -1e-9);
  }

  /** What RunningMoments gives the value v of an input with this scale. */
  private static double expected(RunningMoments moments, Scale scale, double v) {
    return switch (scale) {
      case STANDARD -> moments.standardize(v);
      case MINMAX -> moments.minMax(v);
      case NONE -> v;
    };
  }

  private static Map<String, Object> namedValues(String[] names, double[] values) {
    NamedValues.Builder builder = new NamedValues.Builder();
    builder.clear();
    for (double v : values) {
      builder.addNumber(v);
    }
    return builder.build(FieldNames.of(names, names.length));
  }

  /** Encodes 300 samples one way or the other and checks every slot's bits against the moments. */
  private static void assertSameBits(List<InputSpec> inputs, boolean asArrays) {
    int n = inputs.size();
    Preprocessor p = new Preprocessor(new Preprocessing(inputs, false, false, false, null), 1);
    RunningMoments[] reference = new RunningMoments[n];
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      reference[i] = new RunningMoments();
      names[i] = inputs.get(i).name();
    }
    Random random = new Random(11);
    for (int s = 0; s < 300; s++) {
      if (s == 0 || s == 150) { // the statistics through their saved state, empty and not
        Preprocessor restored =
            new Preprocessor(new Preprocessing(inputs, false, false, false, null), 1);
        restored.restore(p.state());
        p = restored;
      }
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        boolean flag = inputs.get(i).type() == InputSpec.Type.BOOLEAN;
        values[i] = flag ? random.nextInt(2) : value(random, i);
      }
      double[] x = asArrays ? p.encode(values) : p.encode(namedValues(names, values));
      for (int i = 0; i < n; i++) {
        double want = expected(reference[i], inputs.get(i).scale(), values[i]);
        assertEquals(
            Double.doubleToRawLongBits(want),
            Double.doubleToRawLongBits(x[i]),
            "sample " + s + ", input " + i);
        reference[i].add(values[i]);
      }
      p.takeIn();
    }
  }

  @Test
  void shouldScaleNamedNumbersToTheBitsOfTheRunningMoments() {
    assertSameBits(numericInputs(20), false);
  }

  @Test
  void shouldStandardizeOnlyStandardInputsToTheBitsOfTheRunningMoments() {
    assertSameBits(numericInputs(20, Scale.STANDARD), false);
    assertSameBits(numericInputs(20, Scale.STANDARD), true);
  }

  @Test
  void shouldScaleArraysToTheBitsOfTheRunningMoments() {
    assertSameBits(numericInputs(20), true);
  }

  @Test
  void shouldScaleNumbersBesideOtherKindsToTheBitsOfTheRunningMoments() {
    List<InputSpec> inputs = numericInputs(7);
    inputs.add(
        new InputSpec("flag", InputSpec.Type.BOOLEAN, Scale.NONE, null, 0, Missing.ZERO, false));
    // A boolean of an array is 0 or 1 and takes its slot as it is, like a number of scale none.
    assertSameBits(inputs, true);
  }
}
