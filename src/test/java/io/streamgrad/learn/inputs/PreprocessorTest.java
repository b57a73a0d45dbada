package io.streamgrad.learn.inputs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.learn.inputs.InputSpec.Missing;
import io.streamgrad.learn.inputs.InputSpec.Scale;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreprocessorTest {
  private static InputSpec numeric(String name, Scale scale, Missing missing) {
    return new InputSpec(name, InputSpec.Type.NUMERIC, scale, null, 0, missing, false);
  }

  private static InputSpec vocabulary(String name, boolean rejectUnknown, Missing missing) {
    return new InputSpec(
        name,
        InputSpec.Type.CATEGORICAL,
        Scale.NONE,
        List.of("FR", "DE", "US"),
        0,
        missing,
        rejectUnknown);
  }

  private static InputSpec bool(String name) {
    return new InputSpec(name, InputSpec.Type.BOOLEAN, Scale.NONE, null, 0, Missing.REJECT, false);
  }

  private static Preprocessor of(InputSpec... inputs) {
    return new Preprocessor(new Preprocessing(List.of(inputs), false, false, false, null), 1);
  }

  private static Map<String, Object> named(Object... pairs) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  /** Encodes then takes in each value of one numeric input "x", giving the encodings. */
  private static double[] learnAll(Preprocessor p, double... values) {
    double[] encoded = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      encoded[i] = p.encode(named("x", values[i]))[0];
      p.takeIn();
    }
    return encoded;
  }

  @Test
  void shouldPassANumberAsItIsWithScaleNone() {
    assertArrayEquals(
        new double[] {120_000.5},
        of(numeric("x", Scale.NONE, Missing.REJECT)).encode(named("x", 120_000.5)),
        0.0);
  }

  @Test
  void shouldStandardizeWithTheStatisticsOfTheSamplesBeforeOnly() {
    double[] encoded = learnAll(of(numeric("x", Scale.STANDARD, Missing.REJECT)), 10, 30, 40);
    // 10: nothing known; 30: one value, no spread yet; 40: mean 20, std 10 of {10, 30}.
    assertArrayEquals(new double[] {0, 0, 2}, encoded, 0.0);
  }

  @Test
  void shouldScaleMinMaxWithTheRangeOfTheSamplesBefore() {
    double[] encoded = learnAll(of(numeric("x", Scale.MINMAX, Missing.REJECT)), 10, 30, 25);
    assertArrayEquals(new double[] {0, 0, 0.75}, encoded, 0.0);
  }

  @Test
  void shouldLeaveTheStatisticsAloneUntilTheSampleIsTakenIn() {
    Preprocessor p = of(numeric("x", Scale.STANDARD, Missing.REJECT));
    learnAll(p, 10, 30);
    double[] first = p.encode(named("x", 1000.0));
    double[] again = p.encode(named("x", 40.0));
    assertEquals(2.0, again[0], 0.0);
    assertTrue(first[0] > 2);
  }

  @Test
  void shouldOneHotAValueOfTheVocabulary() {
    assertArrayEquals(
        new double[] {0, 1, 0, 0},
        of(vocabulary("country", false, Missing.REJECT)).encode(named("country", "DE")),
        0.0);
  }

  @Test
  void shouldPutAValueOutsideTheVocabularyInTheSlotForUnknownValues() {
    assertArrayEquals(
        new double[] {0, 0, 0, 1},
        of(vocabulary("country", false, Missing.REJECT)).encode(named("country", "JP")),
        0.0);
  }

  @Test
  void shouldRejectAValueOutsideAClosedVocabularyNamingTheInput() {
    InputException e =
        assertThrows(
            InputException.class,
            () -> of(vocabulary("country", true, Missing.REJECT)).encode(named("country", "JP")));
    assertEquals(InputException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains("'country'") && e.getMessage().contains("JP"));
  }

  @Test
  void shouldGiveAClosedVocabularyNoSlotForUnknownValues() {
    assertEquals(3, vocabulary("country", true, Missing.REJECT).width());
  }

  @Test
  void shouldPutAHashedValueInItsMurmurSlot() {
    InputSpec merchant =
        new InputSpec(
            "merchant", InputSpec.Type.CATEGORICAL, Scale.NONE, null, 64, Missing.REJECT, false);
    double[] x = of(merchant).encode(named("merchant", "foo"));
    assertEquals(64, x.length);
    assertEquals(1.0, x[32], 0.0); // mmh3.hash("foo", 0, signed=False) % 64 == 32
    assertEquals(1.0, java.util.Arrays.stream(x).sum(), 0.0);
  }

  @Test
  void shouldTakeAWholeNumberAsTheDigitsOfACategory() {
    InputSpec zip =
        new InputSpec(
            "zip",
            InputSpec.Type.CATEGORICAL,
            Scale.NONE,
            List.of("3", "4"),
            0,
            Missing.REJECT,
            false);
    assertArrayEquals(new double[] {1, 0, 0}, of(zip).encode(named("zip", 3.0)), 0.0);
  }

  @Test
  void shouldEncodeABooleanAsOneOrZero() {
    Preprocessor p = of(bool("is_new"));
    assertArrayEquals(new double[] {1}, p.encode(named("is_new", true)), 0.0);
    assertArrayEquals(new double[] {0}, p.encode(named("is_new", false)), 0.0);
  }

  @Test
  void shouldRejectABooleanThatIsNeitherOneNorZero() {
    InputException e =
        assertThrows(InputException.class, () -> of(bool("is_new")).encode(named("is_new", 2.0)));
    assertTrue(e.getMessage().contains("'is_new'"), e.getMessage());
  }

  @Test
  void shouldGiveZeroToAMissingValueWhenThePolicyIsZero() {
    Preprocessor p = of(numeric("x", Scale.NONE, Missing.ZERO));
    learnAll(p, 5, 7);
    assertArrayEquals(new double[] {0}, p.encode(named()), 0.0);
  }

  @Test
  void shouldGiveTheRunningMeanToAMissingValueWhenThePolicyIsMean() {
    Preprocessor p = of(numeric("x", Scale.NONE, Missing.MEAN));
    learnAll(p, 5, 7);
    assertArrayEquals(new double[] {6}, p.encode(named("x", null)), 0.0);
  }

  @Test
  void shouldGiveTheSlotFrequenciesToAMissingCategoryWhenThePolicyIsMean() {
    Preprocessor p = of(vocabulary("country", false, Missing.MEAN));
    for (String c : new String[] {"FR", "FR", "US", "JP"}) {
      p.encode(named("country", c));
      p.takeIn();
    }
    assertArrayEquals(new double[] {0.5, 0, 0.25, 0.25}, p.encode(named()), 0.0);
  }

  @Test
  void shouldRejectAMissingValueWhenThePolicyIsRejectNamingTheInput() {
    InputException e =
        assertThrows(
            InputException.class,
            () -> of(numeric("amount", Scale.NONE, Missing.REJECT)).encode(named("other", 1.0)));
    assertTrue(e.getMessage().contains("'amount' is missing"), e.getMessage());
  }

  @Test
  void shouldLeaveAMissingValueOutOfTheStatistics() {
    Preprocessor p = of(numeric("x", Scale.NONE, Missing.ZERO));
    learnAll(p, 5, 7);
    p.encode(named());
    p.takeIn();
    assertEquals(2.0, p.state()[1], 0.0); // the count
    assertEquals(6.0, p.state()[2], 0.0); // the mean
  }

  @Test
  void shouldRejectAStringWhereANumberIsDeclaredNamingTheInput() {
    InputException e =
        assertThrows(
            InputException.class,
            () -> of(numeric("amount", Scale.NONE, Missing.REJECT)).encode(named("amount", "12")));
    assertEquals(InputException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains("'amount' is numeric"), e.getMessage());
  }

  @Test
  void shouldRejectANonFiniteNumberNamingTheInput() {
    InputException e =
        assertThrows(
            InputException.class,
            () ->
                of(numeric("amount", Scale.NONE, Missing.REJECT))
                    .encode(named("amount", Double.NaN)));
    assertEquals(InputException.Kind.NON_FINITE, e.kind());
    assertTrue(e.getMessage().contains("'amount'"), e.getMessage());
  }

  @Test
  void shouldCountTheFieldsNoInputNamesWhenTheSampleIsTakenIn() {
    Preprocessor p = of(numeric("x", Scale.NONE, Missing.REJECT));
    p.encode(named("x", 1.0, "note", "hello", "y", 2.0));
    assertEquals(0, p.unnamedFields());
    p.takeIn();
    assertEquals(2, p.unnamedFields());
  }

  @Test
  void shouldRejectAFieldNoInputNamesUnderStrictInputs() {
    Preprocessor p =
        new Preprocessor(
            new Preprocessing(
                List.of(numeric("x", Scale.NONE, Missing.REJECT)), true, false, false, null),
            1);
    InputException e =
        assertThrows(InputException.class, () -> p.encode(named("x", 1.0, "note", "hello")));
    assertTrue(e.getMessage().contains("'note'"), e.getMessage());
  }

  @Test
  void shouldTakeAnArrayInTheOrderOfTheInputs() {
    Preprocessor p = of(numeric("a", Scale.NONE, Missing.REJECT), bool("b"));
    assertArrayEquals(new double[] {4.5, 1}, p.encode(new double[] {4.5, 1}), 0.0);
  }

  @Test
  void shouldRejectAnArrayOfTheWrongLength() {
    InputException e =
        assertThrows(
            InputException.class,
            () -> of(numeric("a", Scale.NONE, Missing.REJECT)).encode(new double[] {1, 2}));
    assertEquals(InputException.Kind.WRONG_COUNT, e.kind());
  }

  @Test
  void shouldRejectAnArrayForAModelWithCategoricalInputs() {
    assertThrows(
        InputException.class,
        () -> of(vocabulary("country", false, Missing.REJECT)).encode(new double[] {1}));
  }

  @Test
  void shouldRestoreTheStatisticsBitForBit() {
    Preprocessor p =
        of(numeric("x", Scale.STANDARD, Missing.MEAN), vocabulary("c", false, Missing.MEAN));
    for (int i = 0; i < 50; i++) {
      p.encode(named("x", 1e5 + i * 37.3, "c", i % 3 == 0 ? "FR" : "US"));
      p.takeIn();
    }
    Preprocessor restored =
        of(numeric("x", Scale.STANDARD, Missing.MEAN), vocabulary("c", false, Missing.MEAN));
    restored.restore(p.state());
    assertArrayEquals(p.state(), restored.state(), 0.0);
    assertArrayEquals(
        p.encode(named("x", 123_456.0, "c", "DE")),
        restored.encode(named("x", 123_456.0, "c", "DE")),
        0.0);
  }

  @Test
  void shouldGiveOutputsInTheUnitsOfTheTargetsBefore() {
    Preprocessor p = new Preprocessor(new Preprocessing(List.of(), false, false, true, null), 1);
    p.takeInTarget(new double[] {100});
    p.takeInTarget(new double[] {300});
    assertArrayEquals(new double[] {300}, p.toUserUnits(new double[] {1}), 0.0);
  }

  @Test
  void shouldStandardizeATargetWithItsOwnValueTakenIn() {
    Preprocessor p = new Preprocessor(new Preprocessing(List.of(), false, false, true, null), 1);
    assertArrayEquals(new double[] {0}, p.takeInTarget(new double[] {100_000}), 0.0);
    assertArrayEquals(new double[] {1}, p.takeInTarget(new double[] {300_000}), 0.0);
  }
}
