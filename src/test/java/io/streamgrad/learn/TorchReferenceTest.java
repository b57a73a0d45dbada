package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.nn.Architecture;
import io.streamgrad.records.SampleJson;
import java.io.InputStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The learner against PyTorch: cases written by ops/torch_reference.py (PyTorch 1.13, float64) with
 * explicit initial weights; every prediction and every final weight must agree to 1e-9 relative.
 * Minibatches, momentum, Nesterov, weight decay, Adam, clipping and unlabelled samples are all in
 * there.
 */
class TorchReferenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> cases() {
    return Stream.of(
        "lecture-3-4-2-l2-sgd",
        "softmax-nesterov-minibatch",
        "bce-adam-clip",
        "l1-two-outputs",
        "hinge-adam",
        "deep-sgd-clip",
        "multilabel-bce");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldTrainAsPyTorchDoes(String name) throws Exception {
    JsonNode root;
    try (InputStream in = getClass().getResourceAsStream("/torch/" + name + ".json")) {
      root = JSON.readTree(in);
    }
    Learner learner = Learner.create(ModelFile.parse(root.get("model")), StatsSettings.DEFAULT);
    JsonNode predictions = root.get("expected").get("predictions");
    int s = 0;
    for (JsonNode sampleNode : root.get("samples")) {
      LearnResult result = learner.learn(SampleJson.parse(sampleNode.toString()));
      JsonNode expected = predictions.get(s++);
      for (int k = 0; k < expected.size(); k++) {
        assertClose(
            expected.get(k).asDouble(), result.outputs()[k], "prediction of sample " + (s - 1));
      }
    }
    ModelSpec trained = ModelFile.parse(learner.modelFile());
    Architecture arch = trained.architecture();
    JsonNode weights = root.get("expected").get("weights");
    JsonNode biases = root.get("expected").get("biases");
    double[] params = trained.parameters();
    for (int l = 0; l < arch.layers().size(); l++) {
      int in = arch.layers().get(l).in();
      for (int j = 0; j < arch.layers().get(l).out(); j++) {
        for (int i = 0; i < in; i++) {
          assertClose(
              weights.get(l).get(j).get(i).asDouble(),
              params[arch.weightOffset(l) + j * in + i],
              "weights[" + l + "][" + j + "][" + i + "]");
        }
        assertClose(
            biases.get(l).get(j).asDouble(),
            params[arch.biasOffset(l) + j],
            "biases[" + l + "][" + j + "]");
      }
    }
    assertTrue(learner.steps() > 0);
    assertEquals(0, learner.stats().refused());
  }

  private static void assertClose(double expected, double actual, String what) {
    double tolerance = 1e-9 * Math.max(1.0, Math.abs(expected));
    assertTrue(
        Math.abs(expected - actual) <= tolerance,
        what
            + ": PyTorch "
            + expected
            + ", Streamgrad "
            + actual
            + " (difference "
            + (actual - expected)
            + ")");
  }
}
