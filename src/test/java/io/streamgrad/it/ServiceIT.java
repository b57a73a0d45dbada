package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.BundledData;
import io.streamgrad.cli.Main;
import io.streamgrad.http.Instance;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.SampleFile;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.ExitCodes;
import io.streamgrad.service.LocalResources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service against a real broker: produce with the produce command's code, read the model over
 * HTTP.
 */
class ServiceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void shouldServeAModelBitIdenticalToReplay() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      Configuration config =
          Configuration.defaultsOnly()
              .with("bootstrap.servers", broker.bootstrapServers())
              .with("http.port", "0")
              .with("commit.interval.ms", "100")
              .with("topics.partitions", "2");
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      try (Instance service =
          Instance.start(config, new PrintStream(log, true, StandardCharsets.UTF_8))) {
        assertTrue(
            log.toString(StandardCharsets.UTF_8).contains("created topics"),
            log.toString(StandardCharsets.UTF_8));
        String spec =
            new String(
                getClass().getResourceAsStream("/models/digits.json").readAllBytes(),
                StandardCharsets.UTF_8);
        Path csv = BundledData.digitsCsv(dir);
        List<Sample> samples = SampleFile.readAll(csv, "label").subList(0, 600);

        Path jsonl = dir.resolve("first-600.jsonl");
        Files.write(jsonl, samples.stream().map(SampleFile::toJson).toList());
        Path specFile = dir.resolve("digits.json");
        Files.writeString(specFile, spec);
        assertEquals(
            ExitCodes.OK,
            Main.execute(
                "produce",
                "--bootstrap-servers",
                service.bootstrapServers(),
                "--model",
                "digits",
                "--spec",
                specFile.toString(),
                "--samples",
                jsonl.toString(),
                "--format",
                "json"));

        Learner offline = Learner.create(ModelFile.parse(spec), StatsSettings.DEFAULT);
        samples.forEach(offline::learn);
        String expected = offline.modelFile();
        String served =
            ItSupport.awaitModel(service.httpPort(), "digits", 600, Duration.ofSeconds(60));
        assertEquals(expected, served, "GET /models/digits is bit-identical to replay");

        HttpResponse<String> health = get(service.httpPort(), "/health");
        assertEquals(200, health.statusCode());
        JsonNode models = JSON.readTree(get(service.httpPort(), "/models").body());
        assertEquals("digits", models.get(0).get("model").asText());
        assertEquals(600, models.get(0).get("samples").asLong());
        assertEquals(404, get(service.httpPort(), "/models/nobody").statusCode());
        assertTrue(get(service.httpPort(), "/models/nobody").body().contains("no model 'nobody'"));
        assertEquals(404, get(service.httpPort(), "/nothing-here").statusCode());
        HttpResponse<String> post =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + service.httpPort() + "/models/digits"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode(), "read-only");
        assertEquals(
            expected,
            get(service.httpPort(), "/models/digits").body(),
            "no request changed the model");
      }
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldExitWithCodeThreeWhenTheBrokerCannotBeReached() {
    int port = LocalResources.freePort();
    assertEquals(
        ExitCodes.UNREACHABLE,
        Main.execute("run", "--bootstrap-servers", "127.0.0.1:" + port, "--http-port", "0"));
  }

  @Test
  void shouldExitWithUsageCodeWhenTheHttpPortIsTaken() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start();
        java.net.ServerSocket taken =
            new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertEquals(
          ExitCodes.USAGE,
          Main.execute(
              "run",
              "--bootstrap-servers",
              broker.bootstrapServers(),
              "--http-port",
              String.valueOf(taken.getLocalPort())));
    }
  }
}
