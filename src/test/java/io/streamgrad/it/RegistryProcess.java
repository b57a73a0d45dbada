package io.streamgrad.it;

import io.streamgrad.service.LocalResources;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real schema registry for the integration tests: Apicurio Registry 3 (its Confluent-compatible
 * API at {@code /apis/ccompat/v7}) as a child process, unpacked by the build under target/apicurio.
 * Its storage is an H2 file of its own, so that it can be stopped and started again on the same
 * port with the schemas it held, as a registry with a real database would be. It needs Java 21 or
 * newer, found under /usr/lib/jvm or named by the environment variable STREAMGRAD_REGISTRY_JAVA.
 */
final class RegistryProcess implements AutoCloseable {
  static final Path APP = Path.of("target", "apicurio", "quarkus-run.jar");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final int port = LocalResources.freePort();
  private final int managementPort = LocalResources.freePort();
  private final int tlsPort = LocalResources.freePort();
  private final Path dir;
  private final TestCertificates certificates;
  private final Path keyStore;
  private Process process;

  private RegistryProcess(Path dir) throws Exception {
    this.dir = dir;
    this.certificates = TestCertificates.create(dir.resolve("tls"));
    this.keyStore = certificates.keyStore("registry");
  }

  /**
   * Starts a registry without waiting for it (it takes seconds: start the broker meanwhile), then
   * {@link #awaitReady}.
   */
  static RegistryProcess launch() throws Exception {
    RegistryProcess registry =
        new RegistryProcess(Files.createTempDirectory("streamgrad-registry-"));
    registry.spawn();
    return registry;
  }

  /** The base URL of the Confluent-compatible API: the value of schema.registry.url. */
  String url() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }

  /**
   * The same API over TLS, with a certificate for 127.0.0.1 that a test CA signed: reachable only
   * with {@link #trustStore} as the client's trust store.
   */
  String httpsUrl() {
    return "https://127.0.0.1:" + tlsPort + "/apis/ccompat/v7";
  }

  /** The PKCS12 trust store (password {@link TestCertificates#PASSWORD}) of {@link #httpsUrl}. */
  Path trustStore() {
    return certificates.trustStore();
  }

  /** Starts the stopped registry on the same port, with the schemas it held. */
  void startAgain() throws Exception {
    spawn();
    awaitReady();
  }

  private void spawn() throws IOException {
    if (!Files.exists(APP)) {
      throw new IllegalStateException(
          APP + " is missing: mvn verify unpacks it (pre-integration-test, fetch-apicurio)");
    }
    List<String> command = new ArrayList<>();
    command.add(java21());
    command.addAll(
        List.of(
            "-Xmx384m",
            "-Dquarkus.http.port=" + port,
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.management.port=" + managementPort,
            "-Dquarkus.management.host=127.0.0.1",
            "-Dquarkus.http.ssl-port=" + tlsPort,
            "-Dquarkus.http.ssl.certificate.key-store-file=" + keyStore.toAbsolutePath(),
            "-Dquarkus.http.ssl.certificate.key-store-file-type=PKCS12",
            "-Dquarkus.http.ssl.certificate.key-store-password=" + TestCertificates.PASSWORD,
            "-Dapicurio.rules.global.compatibility=BACKWARD",
            "-Dapicurio.datasource.url=jdbc:h2:file:" + dir.resolve("registry").toAbsolutePath(),
            "-jar",
            APP.toAbsolutePath().toString()));
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
            .start();
  }

  /** Waits until the registry's API answers. */
  void awaitReady() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the registry exited with " + process.exitValue() + ": " + log());
      }
      try {
        HttpResponse<String> answer =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the registry did not answer within 90 s: " + log());
  }

  /** Stops the registry (its data stays), as an outage would. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private String log() {
    try {
      String text = Files.readString(dir.resolve("registry.log"), StandardCharsets.UTF_8);
      return text.substring(Math.max(0, text.length() - 4000));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      stop();
    }
    LocalResources.deleteRecursively(dir);
  }

  /**
   * A java of version 21 or newer: STREAMGRAD_REGISTRY_JAVA if set, else the newest JDK under
   * /usr/lib/jvm that is recent enough.
   */
  static String java21() throws IOException {
    String named = System.getenv("STREAMGRAD_REGISTRY_JAVA");
    if (named != null && !named.isBlank()) {
      return named;
    }
    Path jvms = Path.of("/usr/lib/jvm");
    String best = null;
    int bestVersion = 0;
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> homes = Files.list(jvms)) {
        for (Path home : homes.toList()) {
          int version = featureVersion(home);
          Path java = home.resolve("bin").resolve("java");
          if (version >= 21 && version > bestVersion && Files.isExecutable(java)) {
            best = java.toString();
            bestVersion = version;
          }
        }
      }
    }
    if (best == null) {
      throw new IllegalStateException(
          "the schema registry of the tests (Apicurio Registry) needs Java 21 or newer: install a"
              + " JDK 21+ under /usr/lib/jvm (e.g. Debian's openjdk-21-jdk-headless) or set"
              + " STREAMGRAD_REGISTRY_JAVA to its bin/java");
    }
    return best;
  }

  /** The JAVA_VERSION of a JDK's release file (17, 21, 25...), or 0. */
  private static int featureVersion(Path home) throws IOException {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release)) {
      return 0;
    }
    Properties properties = new Properties();
    try (var in = Files.newBufferedReader(release)) {
      properties.load(in);
    }
    String version = properties.getProperty("JAVA_VERSION", "\"0\"").replace("\"", "");
    try {
      return Integer.parseInt(version.replaceAll("[.+-].*", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
