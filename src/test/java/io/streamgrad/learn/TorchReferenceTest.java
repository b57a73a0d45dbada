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
 * explicit initial weights; every prediction, every final weight and, under a schedule, the
 * learning rate after every sample must agree to 1e-9 relative. Minibatches, momentum, Nesterov,
 * weight decay, every optimizer and schedule, clipping, sample and class weights and unlabelled
 * samples are all in there.
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
        "multilabel-bce",
        "adamw-minibatch-exponential",
        "adamw-default-decay-pos-weight-warmup",
        "rmsprop-centered-momentum-step",
        "rmsprop-class-weights-cosine",
        "adagrad-minibatch-inverse-time",
        "adagrad-defaults",
        "sgd-inverse-time",
        "sgd-weighted-samples",
        "sgd-momentum-class-weights-restarts",
        "multilabel-pos-weight-clip");
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
    JsonNode rates = root.get("expected").get("rates");
    int s = 0;
    for (JsonNode sampleNode : root.get("samples")) {
      LearnResult result = learner.learn(weighted(SampleJson.parse(sampleNode), sampleNode));
      JsonNode expected = predictions.get(s++);
      for (int k = 0; k < expected.size(); k++) {
        assertClose(
            expected.get(k).asDouble(), result.outputs()[k], "prediction of sample " + (s - 1));
      }
      if (rates != null) {
        assertClose(
            rates.get(s - 1).asDouble(),
            learner.learningRate(),
            "learning rate after sample " + (s - 1));
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

  /** The fixture's sample weight, if it gives one. */
  private static Sample weighted(Sample sample, JsonNode node) {
    JsonNode weight = node.get("weight");
    return weight == null
        ? sample
        : new Sample(
            sample.id(), sample.features(), sample.label(), sample.eventTime(), weight.asDouble());
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
