package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** http.auth.token on a real service: every path but /health/live needs the bearer token. */
class HttpAuthIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String TOKEN = "s3cret-token";

  static EmbeddedBroker broker;
  static Instance service;
  static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start();
    service =
        Instance.start(
            Configuration.defaultsOnly()
                .with("bootstrap.servers", broker.bootstrapServers())
                .with("http.port", "0")
                .with("http.auth.token", TOKEN),
            new PrintStream(LOG, true, StandardCharsets.UTF_8));
    service.awaitRunning(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    service.close();
    broker.close();
  }

  private static HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
            .timeout(Duration.ofSeconds(20));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldRefuseModelsWithoutAToken() throws Exception {
    HttpResponse<String> response = get("/models", null);
    assertEquals(401, response.statusCode());
    assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(""));
    JsonNode body = JSON.readTree(response.body());
    assertEquals(401, body.get("error_code").asInt());
    assertEquals("missing or wrong bearer token (http.auth.token)", body.get("message").asText());
  }

  @Test
  void shouldRefuseModelsWithAWrongToken() throws Exception {
    assertEquals(401, get("/models", "Bearer " + TOKEN + "x").statusCode());
    assertEquals(401, get("/models", TOKEN).statusCode(), "the Bearer scheme is required");
  }

  @Test
  void shouldServeModelsWithTheToken() throws Exception {
    HttpResponse<String> response = get("/models", "Bearer " + TOKEN);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("[]", response.body());
  }

  @Test
  void shouldKeepLivenessOpen() throws Exception {
    assertEquals(200, get("/health/live", null).statusCode());
  }

  @Test
  void shouldGuardTheOtherHealthPaths() throws Exception {
    assertEquals(401, get("/health", null).statusCode());
    assertEquals(401, get("/health/ready", null).statusCode());
    assertEquals(200, get("/health", "Bearer " + TOKEN).statusCode());
  }

  @Test
  void shouldMaskTheTokenInTheLoggedConfiguration() {
    String log = LOG.toString(StandardCharsets.UTF_8);
    assertEquals(-1, log.indexOf(TOKEN), log);
  }
}
