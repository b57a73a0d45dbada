package io.streamgrad.http;

import io.streamgrad.service.Configuration;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * A manual measurement, not a test (timings on shared machines make flaky tests): the latency of
 * {@code GET /health} on one kept-alive connection of a real instance with its embedded broker.
 * Shows the delayed-ACK floor (~40 ms) when the server's sockets run with Nagle's algorithm.
 *
 * <pre>
 * mvn -B -q -o test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *   -Dmdep.outputFile=target/test-classpath.txt
 * java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
 *   io.streamgrad.http.HealthLatency [requests]
 * </pre>
 */
public final class HealthLatency {
  private HealthLatency() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Configuration config = Configuration.defaultsOnly().with("http.port", "0");
    try (Instance instance =
        Instance.start(config, new PrintStream(OutputStream.nullOutputStream(), true, "UTF-8"))) {
      instance.awaitRunning(Duration.ofSeconds(60));
      // HTTP/1.1 and one client sending one request at a time: every request reuses one
      // connection, which is where Nagle's algorithm and delayed ACKs meet.
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest health =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.httpPort() + "/health"))
              .GET()
              .build();
      for (int i = 0; i < 20; i++) {
        client.send(health, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      }
      long[] nanos = new long[requests];
      for (int i = 0; i < requests; i++) {
        long start = System.nanoTime();
        HttpResponse<String> response =
            client.send(health, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        nanos[i] = System.nanoTime() - start;
        if (response.statusCode() != 200) {
          throw new IllegalStateException("GET /health answered " + response.statusCode());
        }
      }
      Arrays.sort(nanos);
      System.out.printf(
          "GET /health x%d on one connection: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          requests,
          nanos[requests / 2] / 1e6,
          nanos[(int) Math.ceil(requests * 0.99) - 1] / 1e6,
          nanos[requests - 1] / 1e6);
    }
  }
}
