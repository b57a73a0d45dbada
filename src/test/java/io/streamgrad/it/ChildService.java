package io.streamgrad.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.bench.BenchCommand;
import io.streamgrad.cli.Main;
import io.streamgrad.service.LocalResources;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real {@code run} command in a child JVM ({@code java -jar target/streamgrad.jar run}), so
 * that a test can kill it with SIGKILL as an operator's machine would die.
 */
final class ChildService {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final List<String> command;
  private final Path log;
  private final int httpPort;
  private Process process;
  private int starts;

  ChildService(
      String bootstrapServers, String applicationId, Map<String, String> settings, Path logDir)
      throws IOException {
    this.httpPort = LocalResources.freePort();
    this.command = new ArrayList<>();
    command.add(BenchCommand.javaExecutable());
    command.add("-Xmx512m");
    Path jar = Path.of("target", "streamgrad.jar");
    if (Files.exists(jar)) {
      command.add("-jar");
      command.add(jar.toString());
    } else {
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(Main.class.getName());
    }
    command.addAll(
        List.of(
            "run",
            "--bootstrap-servers",
            bootstrapServers,
            "--http-port",
            String.valueOf(httpPort),
            "--application-id",
            applicationId));
    settings.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
    Files.createDirectories(logDir);
    this.log = logDir.resolve(applicationId + "-" + httpPort + ".log");
  }

  int httpPort() {
    return httpPort;
  }

  void start() throws IOException {
    starts++;
    Files.writeString(
        log,
        "=== start " + starts + " ===\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
  }

  /** SIGKILL: no shutdown hook, no clean close, no leaving the group. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * SIGTERM, as an orchestrator stops a container, and waits for the exit.
   *
   * @return the exit code
   * @throws AssertionError when the process is still alive after the timeout (then killed)
   */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      kill();
      throw new AssertionError("still running " + timeout + " after SIGTERM; see " + log);
    }
    return process.exitValue();
  }

  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  /**
   * Waits for the process to end by itself.
   *
   * @return its exit code
   * @throws AssertionError when it still runs after the timeout (then killed)
   */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      kill();
      throw new AssertionError("still running after " + timeout + "; see " + log);
    }
    return process.exitValue();
  }

  /** CPU time the process used so far (all its threads), for throughput per CPU-second. */
  Duration cpu() {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  void awaitRunning(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the service exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<String> health = get("/health");
        if (health.statusCode() == 200 && health.body().contains("RUNNING")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the service did not run within " + timeout + "; see " + log);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
            .timeout(Duration.ofSeconds(20))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET /models as model id → summary. */
  Map<String, JsonNode> models() throws IOException, InterruptedException {
    Map<String, JsonNode> models = new java.util.TreeMap<>();
    HttpResponse<String> response = get("/models");
    if (response.statusCode() == 200) {
      for (JsonNode node : JSON.readTree(response.body())) {
        models.put(node.get("model").asText(), node);
      }
    }
    return models;
  }

  Path log() {
    return log;
  }
}
