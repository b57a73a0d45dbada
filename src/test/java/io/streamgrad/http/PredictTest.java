package io.streamgrad.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.learn.Learner;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PredictTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode answer(int status, String body) throws Exception {
    Predict.Answer answer =
        Predict.answer("m", PredictCacheTest.learner(), body.getBytes(StandardCharsets.UTF_8));
    JsonNode node = JSON.readTree(answer.body());
    assertEquals(status, answer.status(), node.toString());
    return node;
  }

  @Test
  void shouldAnswerOneSampleWithTheLearnersPrediction() throws Exception {
    JsonNode node = answer(200, "{\"id\": \"s-1\", \"features\": [0.5, -1, 2], \"label\": 2}");
    Learner.Prediction expected = PredictCacheTest.learner().predict(new double[] {0.5, -1, 2});
    JsonNode prediction = node.get("predictions").get(0);
    assertEquals("s-1", prediction.get("id").asText());
    for (int k = 0; k < 3; k++) {
      assertEquals(expected.outputs()[k], prediction.get("outputs").get(k).doubleValue(), 0.0);
    }
    assertEquals(expected.decision().intValue(), prediction.get("decision").asInt());
    assertEquals("m", node.get("model").asText());
    assertEquals(0, node.get("step").asLong());
  }

  @Test
  void shouldPredictNamedFeaturesWithTheModelsStatisticsAndRefuseBadOnes() throws Exception {
    Learner learner =
        Learner.create(
            io.streamgrad.learn.ModelFile.parse(io.streamgrad.learn.NamedInputFixtures.SPEC),
            io.streamgrad.learn.StatsSettings.DEFAULT);
    for (io.streamgrad.learn.Sample sample :
        io.streamgrad.learn.NamedInputFixtures.samples(30, 8)) {
      learner.learn(sample);
    }
    String features =
        "{\"amount\": 310000, \"ratio\": 0.4, \"country\": \"DE\", \"merchant\": \"m-3\","
            + " \"is_new\": false}";
    Predict.Answer answer =
        Predict.answer(
            "credit",
            learner,
            ("{\"id\": \"q\", \"features\": " + features + "}").getBytes(StandardCharsets.UTF_8));
    assertEquals(200, answer.status());
    Learner.Prediction expected =
        learner.predict(io.streamgrad.records.SampleJson.parse("{\"features\": " + features + "}"));
    JsonNode outputs = JSON.readTree(answer.body()).get("predictions").get(0).get("outputs");
    assertEquals(expected.outputs()[1], outputs.get(1).doubleValue(), 0.0);
    Predict.Answer bad =
        Predict.answer(
            "credit",
            learner,
            "{\"features\": {\"amount\": \"lots\"}}".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, bad.status());
    assertTrue(new String(bad.body(), StandardCharsets.UTF_8).contains("'amount'"));
  }

  @Test
  void shouldIgnoreALabelTheModelCouldNotLearnFrom() throws Exception {
    JsonNode node = answer(200, "[{\"id\": \"a\", \"features\": [1, 2, 3], \"label\": \"x\"}]");
    assertEquals(1, node.get("predictions").size());
  }

  @Test
  void shouldRefuseASampleWithoutFeatures() throws Exception {
    JsonNode node = answer(400, "{\"id\": \"a\"}");
    assertTrue(node.get("message").asText().contains("'features'"), node.toString());
  }

  @Test
  void shouldRefuseMoreThanTheMostSamplesPerRequest() throws Exception {
    String sample = "{\"features\": [1, 2, 3]},";
    String body = "[" + sample.repeat(Predict.MAX_SAMPLES) + "{\"features\": [1, 2, 3]}]";
    JsonNode node = answer(400, body);
    assertTrue(node.get("message").asText().contains("at most 1000"), node.toString());
  }
}
