package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The model file's inputs fields: read, checked against the layers, written back. */
class InputsFieldsTest {
  private static final String LAYERS =
      "\"layers\": [{\"in\": %d, \"out\": 1, \"activation\": \"sigmoid\"}], \"loss\": \"bce\"";

  private static String file(int in, String inputs) {
    return "{\"model\": \"m\", " + LAYERS.formatted(in) + ", " + inputs + "}";
  }

  private static final String FOUR_INPUTS =
      """
      "inputs": [{"name": "amount", "type": "numeric", "scale": "standard"},
        {"name": "country", "type": "categorical", "values": ["FR", "DE", "US"]},
        {"name": "merchant", "type": "categorical", "hash_buckets": 64},
        {"name": "is_new", "type": "boolean"}]""";

  @Test
  void shouldAcceptInputsThatEncodeToTheFirstLayersWidth() {
    ModelSpec spec = ModelFile.parse(file(70, FOUR_INPUTS));
    assertEquals(70, spec.preprocessing().width());
  }

  @Test
  void shouldRejectInputsOfAnotherWidthGivingBothNumbersAndEachWidth() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelFile.parse(file(4, FOUR_INPUTS)));
    assertTrue(e.getMessage().contains("70"), e.getMessage());
    assertTrue(e.getMessage().contains("layers[0].in is 4"), e.getMessage());
    assertTrue(
        e.getMessage().contains("amount: 1, country: 4, merchant: 64, is_new: 1"), e.getMessage());
  }

  @Test
  void shouldRejectAnUnknownFieldOfAnInputNamingTheNearestOne() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ModelFile.parse(
                    file(
                        1,
                        "\"inputs\": [{\"name\": \"a\", \"type\": \"numeric\", \"scael\": \"standard\"}]")));
    assertTrue(
        e.getMessage().contains("inputs[0].scael: unknown field; did you mean scale?"),
        e.getMessage());
  }

  @Test
  void shouldRejectAnUnknownTypeListingTheAcceptedOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelFile.parse(file(1, "\"inputs\": [{\"name\": \"a\", \"type\": \"text\"}]")));
    assertTrue(e.getMessage().contains("numeric, categorical, boolean"), e.getMessage());
  }

  @Test
  void shouldRejectACategoricalInputWithBothAVocabularyAndBuckets() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ModelFile.parse(
                file(
                    3,
                    "\"inputs\": [{\"name\": \"c\", \"type\": \"categorical\", \"values\": [\"a\"],"
                        + " \"hash_buckets\": 2}]")));
  }

  @Test
  void shouldRejectTargetScalingForAClassifier() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelFile.parse(file(1, "\"target_scale\": \"standard\"")));
    assertTrue(e.getMessage().startsWith("target_scale"), e.getMessage());
  }

  @Test
  void shouldWriteTheInputsBackAsTheyWereRead() {
    ModelSpec spec = ModelFile.parse(file(70, FOUR_INPUTS + ", \"strict_inputs\": true"));
    ModelSpec again = ModelFile.parse(ModelFile.toJson(ModelFile.specNode(spec)));
    assertEquals(null, ModelFile.difference(spec, again));
    assertTrue(again.preprocessing().strictInputs());
  }

  @Test
  void shouldTellSpecsWithDifferentInputsApart() {
    ModelSpec spec = ModelFile.parse(file(70, FOUR_INPUTS));
    ModelSpec other = ModelFile.parse(file(70, FOUR_INPUTS.replace("standard", "minmax")));
    assertEquals("inputs[0].scale", ModelFile.difference(spec, other));
  }

  @Test
  void shouldRejectStatisticsThatDoNotMatchTheInputsNamingTheInput() {
    String one = "\"inputs\": [{\"name\": \"a\", \"type\": \"numeric\"}]";
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ModelFile.parse(
                    file(
                        1,
                        one
                            + ", \"preprocessing\": {\"inputs\": [{\"name\": \"b\", \"count\":"
                            + " 1}]}")));
    assertTrue(
        e.getMessage().contains("preprocessing.inputs[0]: expected the statistics of input 'a'"),
        e.getMessage());
  }

  @Test
  void shouldReadStatisticsAsTheStartingPointOfTheInputs() {
    String one = "\"inputs\": [{\"name\": \"a\", \"type\": \"numeric\"}]";
    ModelSpec spec =
        ModelFile.parse(
            file(
                1,
                one
                    + ", \"preprocessing\": {\"unnamed_fields\": 3, \"inputs\": [{\"name\":"
                    + " \"a\", \"count\": 2, \"mean\": 1.5, \"m2\": 0.5, \"min\": 1, \"max\": 2}]}"));
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        new double[] {3, 2, 1.5, 0.5, 1, 2}, spec.preprocessing().startState(), 0.0);
    assertEquals(null, spec.withoutStartingPoint().preprocessing().startState());
  }
}
