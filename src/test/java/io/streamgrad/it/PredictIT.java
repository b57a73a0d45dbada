package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.http.Instance;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.EmbeddedBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * POST /models/{id}/predict on a real service against a real broker: the committed model's
 * predictions, bit for bit those of an offline learner made from GET /models/{id}, and no change to
 * the model; each error it answers.
 */
class PredictIT {
  private static final String PREFIX = "predict";
  private static final String MODEL = "alpha"; // 4 features, 3 classes (CrashIT.SPECS)
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static EmbeddedBroker broker;
  static Instance service;
  static String committed;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start();
    Configuration config =
        Configuration.defaultsOnly()
            .with("bootstrap.servers", broker.bootstrapServers())
            .with("application.id", PREFIX)
            .with("http.port", "0")
            .with("state.dir", "") // a temporary one, deleted at close
            .with("commit.interval.ms", "200");
    for (String topic : List.of("samples", "models", "predictions", "loss", "dead-letters")) {
      config = config.with("topic." + topic, PREFIX + "." + topic);
    }
    service =
        Instance.start(
            config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    service.awaitRunning(Duration.ofSeconds(60));
    ItSupport.publishCrashSpecsWithSamples(broker.bootstrapServers(), PREFIX, 20);
    committed = ItSupport.awaitModel(service.httpPort(), MODEL, 20, Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() {
    service.close();
    broker.close();
  }

  private static HttpResponse<String> post(String model, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + service.httpPort() + "/models/" + model + "/predict"))
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The JSON error of response, having checked its status and that its message has part. */
  private static void assertError(int status, String part, HttpResponse<String> response)
      throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    JsonNode body = JSON.readTree(response.body());
    assertEquals(status, body.get("error_code").asInt());
    assertTrue(body.get("message").asText().contains(part), body.toString());
  }

  private static final String SAMPLES =
      "[{\"id\": \"p-1\", \"features\": [0.1, -2.5, 3, 1e-3], \"label\": 1},"
          + " {\"id\": \"p-2\", \"features\": [7, 0, -0.25, 1]},"
          + " {\"id\": \"p-3\", \"features\": [-1, 1, 0.5, 1]}]";

  @Test
  void shouldPredictBitForBitAsAnOfflineLearnerFromTheCommittedModelFile() throws Exception {
    HttpResponse<String> response = post(MODEL, SAMPLES);
    assertEquals(200, response.statusCode(), response.body());
    JsonNode body = JSON.readTree(response.body());
    Learner offline = Learner.create(ModelFile.parse(committed), StatsSettings.DEFAULT);
    assertEquals(MODEL, body.get("model").asText());
    assertEquals(offline.spec().version(), body.get("version").asInt());
    assertEquals(offline.steps(), body.get("step").asLong());
    assertTrue(offline.steps() > 0, "trained before it predicts");
    JsonNode samples = JSON.readTree(SAMPLES);
    JsonNode predictions = body.get("predictions");
    assertEquals(3, predictions.size());
    for (int i = 0; i < 3; i++) {
      double[] x = new double[4];
      for (int j = 0; j < 4; j++) {
        x[j] = samples.get(i).get("features").get(j).doubleValue();
      }
      Learner.Prediction expected = offline.predict(x);
      JsonNode actual = predictions.get(i);
      assertEquals(samples.get(i).get("id").asText(), actual.get("id").asText());
      for (int k = 0; k < expected.outputs().length; k++) {
        // Exactly: the same weights through the same forward pass.
        assertEquals(expected.outputs()[k], actual.get("outputs").get(k).doubleValue(), 0.0);
      }
      assertEquals(expected.decision().intValue(), actual.get("decision").asInt());
    }
  }

  @Test
  void shouldAnswerTheSameTwiceAndLeaveTheModelUnchanged() throws Exception {
    String first = post(MODEL, SAMPLES).body();
    String second = post(MODEL, SAMPLES).body();
    assertEquals(first, second);
    assertEquals(committed, ItSupport.get(service.httpPort(), "/models/" + MODEL).body());
  }

  @Test
  void shouldCountTheRequestsItAnsweredOnMetrics() throws Exception {
    long okBefore = predictRequests("200");
    long notFoundBefore = predictRequests("404");
    assertEquals(200, post(MODEL, SAMPLES).statusCode());
    assertEquals(404, post("nobody", SAMPLES).statusCode());
    assertEquals(okBefore + 1, predictRequests("200"));
    assertEquals(notFoundBefore + 1, predictRequests("404"));
  }

  /** The counter of predict requests this instance answered itself with status code. */
  private static long predictRequests(String code) throws Exception {
    String series =
        "streamgrad_predict_requests_total{answered_by=\"this_instance\",code=\"" + code + "\"} ";
    for (String line : ItSupport.get(service.httpPort(), "/metrics").body().split("\n")) {
      if (line.startsWith(series)) {
        return (long) Double.parseDouble(line.substring(series.length()));
      }
    }
    return 0;
  }

  @Test
  void shouldAnswerAnUnknownModelWith404() throws Exception {
    assertError(404, "no model 'nobody'", post("nobody", SAMPLES));
  }

  @Test
  void shouldAnswerMalformedJsonWith400() throws Exception {
    assertError(400, "not valid JSON", post(MODEL, "[{\"features\": [1, 2"));
  }

  @Test
  void shouldAnswerASampleWithoutFeaturesWith400() throws Exception {
    assertError(400, "'features' must be an array", post(MODEL, "{\"id\": \"a\", \"label\": 1}"));
  }

  @Test
  void shouldAnswerTheWrongFeatureCountWith400NamingExpectedAndGot() throws Exception {
    assertError(
        400,
        "takes 4 features, sample 'short' has 3",
        post(MODEL, "{\"id\": \"short\", \"features\": [1, 2, 3]}"));
  }

  @Test
  void shouldAnswerANonFiniteFeatureWith400() throws Exception {
    assertError(
        400, "feature 2 is NaN", post(MODEL, "{\"id\": \"n\", \"features\": [1, 2, \"NaN\", 4]}"));
  }

  @Test
  void shouldAnswerMoreThanAThousandSamplesWith400() throws Exception {
    String sample = "{\"features\": [1, 2, 3, 4]}";
    String body = "[" + (sample + ",").repeat(1_000) + sample + "]";
    assertError(400, "at most 1000 samples per request, this one has 1001", post(MODEL, body));
  }

  @Test
  void shouldAnswerABodyOverOneMebibyteWith413() throws Exception {
    String body = "[" + " ".repeat(1 << 20) + "]";
    assertError(413, "larger than 1048576 bytes", post(MODEL, body));
  }

  @Test
  void shouldAnswerAGetOfPredictWith405() throws Exception {
    HttpResponse<String> response = ItSupport.get(service.httpPort(), "/models/alpha/predict");
    assertError(405, "POST", response);
    assertEquals("POST", response.headers().firstValue("Allow").orElse(""));
  }
}
