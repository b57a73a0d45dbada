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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The probes and the error shape of the HTTP API, on a real service against a real broker. */
class HttpProbesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static EmbeddedBroker broker;
  static Instance service;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start();
    service =
        Instance.start(
            Configuration.defaultsOnly()
                .with("bootstrap.servers", broker.bootstrapServers())
                .with("http.port", "0"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    service.awaitRunning(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    service.close();
    broker.close();
  }

  @Test
  void shouldAnswerLiveWithoutKafka() throws Exception {
    HttpResponse<String> live = ItSupport.get(service.httpPort(), "/health/live");
    assertEquals(200, live.statusCode());
    assertEquals("UP", JSON.readTree(live.body()).get("status").asText());
  }

  @Test
  void shouldBeReadyOnceRunningWithNothingRestoring() throws Exception {
    // RUNNING is reached before the (empty) changelogs are known to be restored: poll briefly.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> ready = ItSupport.get(service.httpPort(), "/health/ready");
    while (ready.statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      ready = ItSupport.get(service.httpPort(), "/health/ready");
    }
    assertEquals(200, ready.statusCode(), ready.body());
    JsonNode body = JSON.readTree(ready.body());
    assertEquals("RUNNING", body.get("kafka_streams").asText());
    assertEquals(0, body.get("restoring").size());
  }

  @Test
  void shouldAnswerAnUnknownPathWithAJsonError() throws Exception {
    HttpResponse<String> response = ItSupport.get(service.httpPort(), "/nothing-here");
    assertEquals(404, response.statusCode());
    JsonNode body = JSON.readTree(response.body());
    assertEquals(404, body.get("error_code").asInt());
    assertTrue(
        body.get("message").asText().startsWith("no such path: /nothing-here"), body.toString());
  }

  @Test
  void shouldAnswerAnUnknownModelWithAJsonError() throws Exception {
    HttpResponse<String> response = ItSupport.get(service.httpPort(), "/models/nobody");
    assertEquals(404, response.statusCode());
    JsonNode body = JSON.readTree(response.body());
    assertEquals(404, body.get("error_code").asInt());
    assertTrue(body.get("message").asText().contains("no model 'nobody'"), body.toString());
  }

  @Test
  void shouldAnswerAWriteWithAJsonError() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.httpPort() + "/models/nobody"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, response.statusCode());
    assertEquals("GET", response.headers().firstValue("Allow").orElse(""));
    JsonNode body = JSON.readTree(response.body());
    assertEquals(405, body.get("error_code").asInt());
    assertEquals("read-only API: only GET is allowed", body.get("message").asText());
  }
}
