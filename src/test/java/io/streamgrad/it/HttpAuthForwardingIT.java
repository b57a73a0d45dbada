package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamgrad.BundledData;
import io.streamgrad.cli.Main;
import io.streamgrad.http.Instance;
import io.streamgrad.records.SampleFile;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.ExitCodes;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances with one token and one partition: the instance that does not own the model forwards
 * GET /models/{id} to the owner, and the owner only answers if the token was passed on.
 */
class HttpAuthForwardingIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String TOKEN = "shared-token";

  @TempDir Path dir;

  @Test
  void shouldPassTheTokenOnWhenForwarding() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      Configuration config =
          Configuration.defaultsOnly()
              .with("bootstrap.servers", broker.bootstrapServers())
              .with("http.port", "0")
              .with("commit.interval.ms", "100")
              .with("http.auth.token", TOKEN);
      PrintStream quiet =
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      try (Instance first = Instance.start(config, quiet);
          Instance second = Instance.start(config, quiet)) {
        first.awaitRunning(Duration.ofSeconds(60));
        second.awaitRunning(Duration.ofSeconds(60));
        Path spec = dir.resolve("digits.json");
        Files.write(spec, getClass().getResourceAsStream("/models/digits.json").readAllBytes());
        Path samples = dir.resolve("some.jsonl");
        Files.write(
            samples,
            SampleFile.readAll(BundledData.digitsCsv(dir), "label").subList(0, 20).stream()
                .map(SampleFile::toJson)
                .toList());
        assertEquals(
            ExitCodes.OK,
            Main.execute(
                "produce",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--model",
                "digits",
                "--spec",
                spec.toString(),
                "--samples",
                samples.toString(),
                "--format",
                "json"));
        // One partition: one instance owns the model, the other can only answer by forwarding.
        for (Instance instance : new Instance[] {first, second}) {
          HttpResponse<String> model = awaitOk(instance.httpPort(), "/models/digits");
          assertEquals(200, model.statusCode(), model.body());
        }
      }
    }
  }

  private static HttpResponse<String> awaitOk(int port, String path) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    HttpResponse<String> response;
    do {
      response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .header("Authorization", "Bearer " + TOKEN)
                  .timeout(Duration.ofSeconds(20))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return response;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return response;
  }
}
