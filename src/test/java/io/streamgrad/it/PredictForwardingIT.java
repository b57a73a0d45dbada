package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.http.Instance;
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
 * Two instances with one token and one partition: the instance that does not own the model forwards
 * POST /models/{id}/predict, body and token, to the owner and passes its answer on.
 */
class PredictForwardingIT {
  private static final String PREFIX = "predict-forwarding";
  private static final String TOKEN = "shared-token";
  private static final String MODEL = "alpha"; // 20 samples, minibatch 1: 20 steps
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static EmbeddedBroker broker;
  static Instance first;
  static Instance second;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start();
    Configuration config =
        Configuration.defaultsOnly()
            .with("bootstrap.servers", broker.bootstrapServers())
            .with("application.id", PREFIX)
            .with("http.port", "0")
            .with("state.dir", "") // a temporary one, deleted at close
            .with("commit.interval.ms", "100")
            .with("topics.partitions", "1")
            .with("http.auth.token", TOKEN);
    for (String topic : List.of("samples", "models", "predictions", "loss", "dead-letters")) {
      config = config.with("topic." + topic, PREFIX + "." + topic);
    }
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    first = Instance.start(config, quiet);
    second = Instance.start(config, quiet);
    first.awaitRunning(Duration.ofSeconds(60));
    second.awaitRunning(Duration.ofSeconds(60));
    ItSupport.publishCrashSpecsWithSamples(broker.bootstrapServers(), PREFIX, 20);
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
    broker.close();
  }

  private static HttpResponse<String> post(Instance instance, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + instance.httpPort() + "/models/" + MODEL + "/predict"))
            .header("Authorization", "Bearer " + TOKEN)
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The answer of instance once it is 200 from the model trained on all 20 samples. */
  private static String awaitTrained(Instance instance, String body) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    HttpResponse<String> response;
    do {
      response = post(instance, body);
      if (response.statusCode() == 200
          && JSON.readTree(response.body()).get("step").asLong() == 20) {
        return response.body();
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("never trained on 20 samples: " + response.body());
  }

  @Test
  void shouldAnswerTheSameFromBothInstances() throws Exception {
    String body = "[{\"id\": \"f-1\", \"features\": [0.1, -2.5, 3, 1]}]";
    // One partition: one instance owns the model, the other can only answer by forwarding.
    assertEquals(awaitTrained(first, body), awaitTrained(second, body));
  }

  @Test
  void shouldPassTheOwnersRefusalOn() throws Exception {
    awaitTrained(first, "{\"features\": [1, 2, 3, 4]}");
    for (Instance instance : new Instance[] {first, second}) {
      HttpResponse<String> response = post(instance, "{\"id\": \"s\", \"features\": [1]}");
      assertEquals(400, response.statusCode(), response.body());
      JsonNode error = JSON.readTree(response.body());
      assertTrue(error.get("message").asText().contains("takes 4 features"), error.toString());
    }
  }
}
