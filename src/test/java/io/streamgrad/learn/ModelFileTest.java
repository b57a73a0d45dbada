package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
       "minibatch": 2, "seed": 7, "unknown_field": true}
      """;

  @Test
  void shouldReadASpecWithDefaultsAndIgnoreUnknownFields() {
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
        "optimizer.type|\"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"identity\"}], \"loss\": \"l2\", \"optimizer\": {\"type\": \"rmsprop\"}",
        "layers|\"loss\": \"l2\"",
      })
  void shouldRejectAnInconsistentFileNamingTheField(String expected, String body) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ModelFile.parse("{\"model\": \"m\", " + body + "}"));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
