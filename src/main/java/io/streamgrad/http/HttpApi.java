package io.streamgrad.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerCodec;
import io.streamgrad.service.RestoreProgress;
import io.streamgrad.stream.ModelQuery;
import io.streamgrad.stream.StreamSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The read-only HTTP API of a running service: {@code GET /} (the dashboard) and {@code /events}
 * (its live event stream), {@code GET /health}, {@code /health/live} and {@code /health/ready}
 * (probes), {@code GET /metrics} (Prometheus), {@code GET /models} (every model of every instance),
 * {@code GET /models/{id}} (the model file as of the last commit, answered by the instance that
 * owns the model: others forward the request to it), and {@code POST /models/{id}/predict} (the
 * committed model's predictions for the samples in the body, routed the same way; see {@link
 * Predict} for how stale they can be). Models are read through Kafka Streams' interactive queries,
 * never from the live learners: prediction never changes a model.
 */
final class HttpApi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpApi.class);
  private static final String LOCAL = "scope=local";
  private static final String NODELAY = "sun.net.httpserver.nodelay";

  private final HttpServer server;
  private final KafkaStreams streams;
  private final HostInfo self;
  private final Dashboard dashboard;
  private final MetricsEndpoint metrics;
  private final Supplier<List<RestoreProgress.Restoring>> restoring;
  private final PredictCache predictCache = new PredictCache();
  private final PredictCounts predictCounts = new PredictCounts();

  /** Why the schema registry does not answer a lookup the stream waits for, or empty. */
  private volatile Supplier<Optional<String>> schemaRegistryOutage = Optional::empty;

  /** The expected Authorization header, or null when no token is set. */
  private final byte[] authorization;

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpApi(
      HttpServer server,
      KafkaStreams streams,
      HostInfo self,
      Dashboard dashboard,
      MetricsEndpoint metrics,
      Supplier<List<RestoreProgress.Restoring>> restoring,
      String token) {
    this.server = server;
    this.authorization =
        token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.streams = streams;
    this.self = self;
    this.dashboard = dashboard;
    this.metrics = metrics.withPredictions(predictCounts);
    this.restoring = restoring;
  }

  /** Not ready while the stream waits for the schema registry (outage says why). */
  HttpApi watchingSchemaRegistry(Supplier<Optional<String>> outage) {
    this.schemaRegistryOutage = outage;
    return this;
  }

  /**
   * @param self this instance as Kafka Streams' metadata names it (its advertised address), so that
   *     a request for a model it owns is answered here, never forwarded to itself
   * @throws IOException when the address cannot be bound (e.g. the port is in use)
   */
  static HttpApi start(
      String host,
      int port,
      HostInfo self,
      KafkaStreams streams,
      Supplier<List<RestoreProgress.Restoring>> restoring,
      Dashboard dashboard,
      MetricsEndpoint metrics,
      String token)
      throws IOException {
    // Without TCP_NODELAY a response's last small write waits for the client's delayed ACK
    // (Nagle's algorithm): ~40 ms per request on a kept-alive connection. The JDK's server reads
    // this property once, when its sun.net.httpserver.ServerConfig class loads (JDK 17:
    // Boolean.getBoolean("sun.net.httpserver.nodelay"), then setTcpNoDelay(true) on each accepted
    // socket), so it is set before the first HttpServer.create; an explicit -D setting wins.
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    HttpApi api = new HttpApi(server, streams, self, dashboard, metrics, restoring, token);
    server.createContext("/", api::handle);
    // Unbounded: each dashboard holds one thread for its event stream.
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, "streamgrad-http");
              thread.setDaemon(true);
              return thread;
            }));
    server.start();
    return api;
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      // Liveness stays open: a probe that cannot hold the token must still see the process answer.
      if (!exchange.getRequestURI().getPath().equals("/health/live") && !authorized(exchange)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        send(exchange, 401, error(401, "missing or wrong bearer token (http.auth.token)"));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getQuery();
      String predicted = predictedModel(path);
      String allowed = predicted != null ? "POST" : "GET";
      if (!allowed.equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", allowed);
        send(
            exchange,
            405,
            error(
                405,
                predicted != null
                    ? "predictions take POST with the samples as the body"
                    : "read-only API: only GET is allowed"));
        return;
      }
      if (predicted != null) {
        predict(exchange, predicted, LOCAL.equals(query));
      } else if (path.equals("/") || path.equals("/index.html")) {
        dashboard.page(exchange);
      } else if (path.equals("/events")) {
        dashboard.events(exchange);
      } else if (path.equals("/metrics")) {
        byte[] body = metrics.scrape();
        exchange.getResponseHeaders().set("Content-Type", metrics.contentType());
        exchange.sendResponseHeaders(200, lengthOf(body));
        exchange.getResponseBody().write(body);
      } else if (path.equals("/health")) {
        health(exchange);
      } else if (path.equals("/health/live")) {
        // Answers while the process does: no Kafka involved, so a stuck broker never restarts it.
        send(exchange, 200, JSON.writeValueAsBytes(JSON.createObjectNode().put("status", "UP")));
      } else if (path.equals("/health/ready")) {
        Readiness.Answer answer =
            Readiness.of(streams.state(), restoring.get(), schemaRegistryOutage.get());
        send(exchange, answer.status(), JSON.writeValueAsBytes(answer.body()));
      } else if (path.equals("/models") || path.equals("/models/")) {
        models(exchange, LOCAL.equals(query));
      } else if (path.startsWith("/models/")) {
        model(
            exchange,
            URLDecoder.decode(path.substring("/models/".length()), StandardCharsets.UTF_8),
            LOCAL.equals(query));
      } else {
        send(
            exchange,
            404,
            error(
                404,
                "no such path: "
                    + path
                    + " (try /, /health, /health/live, /health/ready, /metrics, /models,"
                    + " /models/{id}, POST /models/{id}/predict)"));
      }
    } catch (RuntimeException e) {
      LOG.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      send(
          exchange, 503, error(503, "not available right now (" + e.getMessage() + "); try again"));
    } finally {
      exchange.close();
    }
  }

  private boolean authorized(HttpExchange exchange) {
    if (authorization == null) {
      return true;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null) {
      return false;
    }
    // Constant time over the digests, so that neither the content nor the length of the token
    // leaks through how long a refusal takes.
    return MessageDigest.isEqual(
        sha256(authorization), sha256(header.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private void health(HttpExchange exchange) throws IOException {
    KafkaStreams.State state = streams.state();
    boolean healthy =
        state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    ObjectNode body = JSON.createObjectNode();
    if (!healthy) {
      // Added to the contract's two fields: the error shape of every other error.
      body.put("error_code", 503).put("message", "Kafka Streams is " + state);
    }
    body.put("status", healthy ? "UP" : "DOWN").put("kafka_streams", state.name());
    send(exchange, healthy ? 200 : 503, JSON.writeValueAsBytes(body));
  }

  private void models(HttpExchange exchange, boolean localOnly) throws IOException {
    Map<String, ObjectNode> all = new TreeMap<>();
    localStates(null)
        .forEach(
            (model, state) -> {
              ObjectNode node = JSON.createObjectNode();
              ModelSummary.write(node, model, LearnerCodec.decode(state));
              all.put(model, node);
            });
    if (!localOnly) {
      for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
        if (!instance.hostInfo().equals(self)) {
          byte[] remote = fetch(instance.hostInfo(), "/models?" + LOCAL);
          if (remote != null) {
            for (var node : JSON.readTree(remote)) {
              all.put(node.get("model").asText(), (ObjectNode) node);
            }
          }
        }
      }
    }
    ArrayNode list = JSON.createArrayNode();
    all.values().forEach(list::add);
    send(exchange, 200, JSON.writeValueAsBytes(list));
  }

  /**
   * The owner answers from its committed state; another instance forwards to it. While the model is
   * between owners (no assignment yet, an owner that stopped answering, a partition still restoring
   * or just moved away) the answer is 503 with the reason, never a 404 that would say the model
   * does not exist.
   */
  private void model(HttpExchange exchange, String model, boolean localOnly) throws IOException {
    if (model.isEmpty() || model.contains("/")) {
      send(exchange, 404, error(404, "bad model id '" + model + "'"));
      return;
    }
    KeyQueryMetadata owner =
        streams.queryMetadataForKey(StreamSettings.STORE, model, new StringSerializer());
    if (owner == KeyQueryMetadata.NOT_AVAILABLE) {
      send(exchange, 503, error(503, betweenOwners(model, "no instance is assigned it yet")));
      return;
    }
    HostInfo host = owner.activeHost();
    if (!localOnly && !host.equals(self) && host.port() > 0) {
      HttpResponse<byte[]> remote = get(host, "/models/" + model + "?" + LOCAL);
      if (remote == null) {
        send(
            exchange,
            503,
            error(503, betweenOwners(model, "its owner " + host + " does not answer")));
      } else {
        send(exchange, remote.statusCode(), remote.body());
      }
      return;
    }
    var answer =
        streams
            .query(
                StateQueryRequest.inStore(StreamSettings.STORE)
                    .withQuery(new ModelQuery(model))
                    .withPartitions(Set.of(owner.partition()))
                    .requireActive())
            .getPartitionResults()
            .get(owner.partition());
    if (answer == null || answer.isFailure()) {
      String reason =
          answer == null
              ? "its partition " + owner.partition() + " is not here"
              : "its partition "
                  + owner.partition()
                  + " is not served here now ("
                  + answer.getFailureReason()
                  + ": "
                  + answer.getFailureMessage()
                  + ")";
      send(exchange, 503, error(503, betweenOwners(model, reason)));
      return;
    }
    byte[] state = answer.getResult().get(model);
    if (state == null) {
      send(exchange, 404, error(404, "no model '" + model + "' (as of the last commit)"));
      return;
    }
    Learner learner = LearnerCodec.decode(state);
    send(exchange, 200, learner.modelFile().getBytes(StandardCharsets.UTF_8));
  }

  private static String betweenOwners(String model, String why) {
    return "model '"
        + model
        + "' is between owners ("
        + why
        + "; Kafka Streams moves it within session.timeout.ms); try again";
  }

  /** The model id of a path /models/{id}/predict, or null for any other path. */
  private static String predictedModel(String path) {
    String prefix = "/models/";
    String suffix = "/predict";
    if (!path.startsWith(prefix)
        || !path.endsWith(suffix)
        || path.length() <= prefix.length() + suffix.length()) {
      return null;
    }
    return URLDecoder.decode(
        path.substring(prefix.length(), path.length() - suffix.length()), StandardCharsets.UTF_8);
  }

  /**
   * Routed as {@link #model}: the owner answers from its committed state, another instance forwards
   * the body (and the token) to the owner and passes its answer on, whatever its status.
   */
  private void predict(HttpExchange exchange, String model, boolean localOnly) throws IOException {
    if (model.isEmpty() || model.contains("/")) {
      answerPrediction(exchange, 404, error(404, "bad model id '" + model + "'"));
      return;
    }
    byte[] body = exchange.getRequestBody().readNBytes(Predict.MAX_BODY_BYTES + 1);
    if (body.length > Predict.MAX_BODY_BYTES) {
      // The rest is not read: the connection is closed rather than drained.
      exchange.getResponseHeaders().set("Connection", "close");
      answerPrediction(
          exchange,
          413,
          error(413, "the body is larger than " + Predict.MAX_BODY_BYTES + " bytes (1 MiB)"));
      return;
    }
    if (!localOnly) {
      KeyQueryMetadata owner =
          streams.queryMetadataForKey(StreamSettings.STORE, model, new StringSerializer());
      HostInfo host = owner.activeHost();
      if (owner != KeyQueryMetadata.NOT_AVAILABLE && !host.equals(self) && host.port() > 0) {
        predictCache.forget(model);
        HttpResponse<byte[]> remote =
            post(
                host,
                "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + "/predict?" + LOCAL,
                body);
        if (remote != null) {
          predictCounts.count(remote.statusCode(), PredictCounts.AnsweredBy.OWNER);
          send(exchange, remote.statusCode(), remote.body());
          return;
        }
      }
    }
    byte[] state = localStates(model).get(model);
    if (state == null) {
      predictCache.forget(model);
      answerPrediction(
          exchange, 404, error(404, "no model '" + model + "' (as of the last commit)"));
      return;
    }
    Predict.Answer answer = Predict.answer(model, predictCache.learner(model, state), body);
    answerPrediction(exchange, answer.status(), answer.body());
  }

  private void answerPrediction(HttpExchange exchange, int status, byte[] body) throws IOException {
    predictCounts.count(status, PredictCounts.AnsweredBy.THIS_INSTANCE);
    send(exchange, status, body);
  }

  /** The owner's answer to a forwarded prediction, or null when it cannot be reached. */
  private HttpResponse<byte[]> post(HostInfo host, String pathAndQuery, byte[] body) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(
                  URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (authorization != null) {
        request.header("Authorization", new String(authorization, StandardCharsets.UTF_8));
      }
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Encoded learner states of this instance's active tasks, as of their last commit. */
  private Map<String, byte[]> localStates(String model) {
    Map<String, byte[]> states = new TreeMap<>();
    var result =
        streams.query(
            // Active tasks only: a standby's copy may be behind, and its owner answers for it.
            StateQueryRequest.inStore(StreamSettings.STORE)
                .withQuery(new ModelQuery(model))
                .requireActive());
    result
        .getPartitionResults()
        .values()
        .forEach(
            partition -> {
              if (partition.isSuccess()) {
                states.putAll(partition.getResult());
              }
            });
    return states;
  }

  /** The body of another instance's 200 answer, or null for any other answer or none. */
  private byte[] fetch(HostInfo host, String pathAndQuery) {
    HttpResponse<byte[]> response = get(host, pathAndQuery);
    return response != null && response.statusCode() == 200 ? response.body() : null;
  }

  /** Another instance's answer, whatever its status, or null when it cannot be reached. */
  private HttpResponse<byte[]> get(HostInfo host, String pathAndQuery) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(
                  URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
              .timeout(Duration.ofSeconds(10))
              .GET();
      if (authorization != null) {
        // The other instances run with the same token (same application.id, same settings).
        request.header("Authorization", new String(authorization, StandardCharsets.UTF_8));
      }
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Kafka Connect's error shape, so that tools that read Connect's REST errors read these. */
  static byte[] error(int status, String message) throws IOException {
    return JSON.writeValueAsBytes(
        JSON.createObjectNode().put("error_code", status).put("message", message));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, lengthOf(body));
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * The length to announce: the JDK's server takes 0 for "chunked, length unknown", and -1 for "no
   * body", so an empty body is announced as -1 to keep a known length (no chunked encoding).
   */
  static long lengthOf(byte[] body) {
    return body.length == 0 ? -1 : body.length;
  }

  @Override
  public void close() {
    dashboard.close();
    server.stop(0);
  }
}
