package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.nn.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelFileTest {
  static final String LECTURE =
      """
      {"format": "streamgrad-model/1", "model": "house-prices",
       "layers": [{"in": 3, "out": 4, "activation": "sigmoid"}, {"in": 4, "out": 2, "activation": "identity"}],
       "loss": "l2", "optimizer": {"type": "sgd", "learning_rate": 0.1, "momentum": 0.9},
       "minibatch": 2, "seed": 7}
      """;

  @Test
  void shouldReadASpecFillingInTheDefaults() {
    ModelSpec spec = ModelFile.parse(LECTURE);
    assertEquals("house-prices", spec.model());
    assertEquals(26, spec.architecture().parameters());
    assertEquals(new Optimizer.Sgd(0.1, 0.9, false, 0.0), spec.optimizer());
    assertEquals(2, spec.minibatch());
    assertEquals(1, spec.version());
  }

  @Test
  void shouldRoundTripATrainedModelBitForBit() {
    Learner learner = Learner.create(ModelFile.parse(LECTURE), StatsSettings.DEFAULT);
    for (int s = 0; s < 9; s++) {
      learner.learn(
          new Sample(
              "s", new double[] {s * 0.1, 1.0 / (s + 1), Math.PI * s}, new double[] {s, -s}, 0));
    }
    String file = learner.modelFile();
    ModelSpec read = ModelFile.parse(file);
    assertArrayEquals(learner.parametersCopy(), read.parameters(), 0.0);
    assertEquals(learner.steps(), read.steps());
    Learner warm = Learner.create(read, StatsSettings.DEFAULT);
    assertEquals(file, warm.modelFile());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "layers[1].in|\"layers\": [{\"in\": 3, \"out\": 4, \"activation\": \"sigmoid\"}, {\"in\": 5, \"out\": 2, \"activation\": \"identity\"}], \"loss\": \"l2\"",
        "unknown activation|\"layers\": [{\"in\": 3, \"out\": 2, \"activation\": \"swish\"}], \"loss\": \"l2\"",
        "unknown loss|\"layers\": [{\"in\": 3, \"out\": 2, \"activation\": \"identity\"}], \"loss\": \"huber\"",
        "softmax is allowed on the last layer only|\"layers\": [{\"in\": 3, \"out\": 4, \"activation\": \"softmax\"}, {\"in\": 4, \"out\": 2, \"activation\": \"identity\"}], \"loss\": \"l2\"",
        "bce needs a sigmoid|\"layers\": [{\"in\": 3, \"out\": 1, \"activation\": \"tanh\"}], \"loss\": \"bce\"",
        "weights[0]|\"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"identity\"}], \"loss\": \"l2\", \"weights\": [[[1, 2, 3]]], \"biases\": [[0]]",
        "biases: missing|\"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"identity\"}], \"loss\": \"l2\", \"weights\": [[[1, 2]]]",
        "optimizer.type|\"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"identity\"}], \"loss\": \"l2\", \"optimizer\": {\"type\": \"lbfgs\"}",
        "layers|\"loss\": \"l2\"",
      })
  void shouldRejectAnInconsistentFileNamingTheField(String expected, String body) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelFile.parse("{\"model\": \"m\", " + body + "}"));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "optimizer.learningrate: unknown field; did you mean learning_rate?|\"optimizer\": {\"type\": \"sgd\", \"learningrate\": 0.05}",
        "minibtach: unknown field; did you mean minibatch?|\"minibtach\": 4",
        "layers[0].activaton: unknown field; did you mean activation?|\"layers\": [{\"in\": 2, \"out\": 1, \"activaton\": \"identity\"}]",
        "optimizer_state.frist: unknown field; did you mean first?|\"optimizer_state\": {\"steps\": 0, \"frist\": []}",
        "optimizer.beta1: not a field of the sgd optimizer (it is one of adam's)|\"optimizer\": {\"type\": \"sgd\", \"beta1\": 0.8}",
        "optimizer.momentum: not a field of the adam optimizer (it is one of sgd's)|\"optimizer\": {\"type\": \"adam\", \"momentum\": 0.9}",
        "dropout: unknown field; accepted: format, model, version, layers, loss, optimizer|\"dropout\": 0.5",
        "epochs: unknown field; accepted:|\"epochs\": 10",
      })
  void shouldRejectAnUnknownFieldNamingItAndTheNearestKnownOne(String expected, String field) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelFile.parse(withField(field)));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }

  /**
   * A small valid spec with one field added or replaced: the field's own value wins, as the last of
   * two same-named fields would not (duplicates are rejected).
   */
  private static String withField(String field) {
    String name = field.substring(0, field.indexOf(':'));
    StringBuilder json = new StringBuilder("{\"model\": \"m\", ").append(field);
    if (!name.equals("\"layers\"")) {
      json.append(", \"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"identity\"}]");
    }
    return json.append(", \"loss\": \"l2\"}").toString();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "seed: expected a 64-bit integer, got \"abc\"|\"seed\": \"abc\"",
        "seed: expected a 64-bit integer, got 1.5|\"seed\": 1.5",
        "steps: expected a 64-bit integer, got \"many\"|\"steps\": \"many\"",
        "steps must be >= 0, got -3|\"steps\": -3",
        "optimizer.nesterov: expected true or false, got \"yes\"|\"optimizer\": {\"momentum\": 0.9, \"nesterov\": \"yes\"}",
        "optimizer.learning_rate: expected a number, got \"0.05\"|\"optimizer\": {\"learning_rate\": \"0.05\"}",
        "optimizer: expected an object|\"optimizer\": \"adam\"",
        "optimizer.type: expected a non-empty string, got 1|\"optimizer\": {\"type\": 1}",
        "optimizer_state.steps: expected a 64-bit integer, got true|\"optimizer_state\": {\"steps\": true}",
        "version: expected a 32-bit integer, got \"2\"|\"version\": \"2\"",
        "minibatch: expected a 32-bit integer, got 2.5|\"minibatch\": 2.5",
        "init: expected a non-empty string, got 5|\"init\": 5",
        "format: expected 'streamgrad-model/1', got 1|\"format\": 1",
        "layers[0]: expected an object|\"layers\": [3]",
        "metadata: expected an object (any JSON inside), got [1,2]|\"metadata\": [1, 2]",
      })
  void shouldRejectAValueOfTheWrongTypeNamingTheField(String expected, String field) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelFile.parse(withField(field)));
    assertEquals(
        expected,
        e.getMessage().substring(0, Math.min(expected.length(), e.getMessage().length())),
        e.getMessage());
  }

  @Test
  void shouldRejectAFieldGivenTwice() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelFile.parse(withField("\"seed\": 1, \"seed\": 2")));
    assertTrue(e.getMessage().contains("seed"), e.getMessage());
  }

  static final String METADATA =
      "{\"owner\": \"pricing team\", \"tags\": [\"v1\", null, 3.5], \"nested\": {\"ok\": true}}";

  @Test
  void shouldWriteTheMetadataBackInTheExport() throws Exception {
    Learner learner =
        Learner.create(
            ModelFile.parse(withField("\"metadata\": " + METADATA)), StatsSettings.DEFAULT);
    learner.learn(new Sample("s", new double[] {1, 2}, new double[] {3}, 0));
    JsonNode exported = new ObjectMapper().readTree(learner.modelFile());
    assertEquals(new ObjectMapper().readTree(METADATA), exported.get("metadata"));
    assertEquals(
        learner.modelFile(),
        Learner.create(ModelFile.parse(learner.modelFile()), StatsSettings.DEFAULT).modelFile(),
        "an export with metadata reads back to the same file");
  }

  @Test
  void shouldKeepTheMetadataAcrossTheCheckpoint() throws Exception {
    Learner learner =
        Learner.create(
            ModelFile.parse(withField("\"metadata\": " + METADATA)), StatsSettings.DEFAULT);
    Learner restored = LearnerCodec.decode(LearnerCodec.encode(learner));
    assertEquals(
        new ObjectMapper().readTree(METADATA),
        new ObjectMapper().readTree(restored.spec().metadata()));
  }

  @Test
  void shouldSeeNoDifferenceBetweenASpecAndItsDefaultsWrittenOut() {
    ModelSpec spec = ModelFile.parse(LECTURE);
    assertNull(
        ModelFile.difference(spec, ModelFile.parse(ModelFile.toJson(ModelFile.specNode(spec)))));
  }

  @Test
  void shouldNameTheFirstFieldWhereTwoSpecsDiffer() {
    assertEquals(
        "optimizer.learning_rate",
        ModelFile.difference(
            ModelFile.parse(LECTURE), ModelFile.parse(LECTURE.replace("0.1,", "0.2,"))));
  }

  @Test
  void shouldCountMetadataAsPartOfTheSpec() {
    assertEquals(
        "metadata.owner",
        ModelFile.difference(
            ModelFile.parse(withField("\"metadata\": {}")),
            ModelFile.parse(withField("\"metadata\": {\"owner\": \"x\"}"))));
  }
}
