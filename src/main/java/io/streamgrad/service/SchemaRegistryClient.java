package io.streamgrad.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.records.SchemaLookup;
import io.streamgrad.records.SchemaUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * A client of a schema registry's Confluent-compatible REST API, on the JDK's HTTP client: writer
 * schemas by id (cached; ids never change their schema) for the stream threads, and registration of
 * our output schemas at start. Several URLs are tried in turn, the last one that answered first.
 *
 * <p>A lookup the registry cannot answer (no connection, a timeout, a 5xx, a refused credential) is
 * retried with backoff (100 ms doubling to 2 s) for at most the retry budget, one log line per
 * attempt naming the id; then it throws {@link SchemaUnavailableException}, which aborts the stream
 * thread's transaction so that the record is processed again (docs/schema-registry.md). While that
 * lasts, {@link #outage()} says so for {@code /health/ready}, and {@link #failures()} counts the
 * failed attempts for {@code /metrics}.
 */
public final class SchemaRegistryClient implements SchemaLookup {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 2000;

  private final SchemaRegistrySettings settings;
  private final Duration retryBudget;
  private final PrintStream log;
  private final HttpClient http;
  private final String authorization;
  private final Map<Integer, Schema> schemas;
  private final LongAdder failures = new LongAdder();

  /** The index of the URL that answered last: asked first next time. */
  private volatile int preferred;

  private volatile String outage;

  /** The registry refused to register a schema: it is incompatible with the subject, or invalid. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /**
   * @param retryBudget how long a lookup retries before it gives up for now: keep it below the
   *     producer's transaction timeout, which would otherwise abort the open transaction first
   */
  public SchemaRegistryClient(
      SchemaRegistrySettings settings, Duration retryBudget, PrintStream log) {
    this.settings = settings;
    this.retryBudget = retryBudget;
    this.log = log;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NORMAL);
    if (!settings.tls().truststoreLocation().isEmpty()
        || !settings.tls().keystoreLocation().isEmpty()) {
      builder.sslContext(sslContext(settings.tls()));
    }
    this.http = builder.build();
    this.authorization =
        settings.basicAuthUserInfo().isEmpty()
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(settings.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
    int capacity = settings.cacheCapacity();
    this.schemas =
        Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
              private static final long serialVersionUID = 1L;

              @Override
              protected boolean removeEldestEntry(Map.Entry<Integer, Schema> eldest) {
                return size() > capacity;
              }
            });
  }

  /**
   * Fails when no URL answers, naming them: the service then exits with code 3 instead of starting
   * a stream that could not read a framed record.
   */
  public void checkReachable() {
    try {
      Answer answer = send(get("/subjects"));
      if (answer.status() != 200) {
        throw new IOException(answer.describe());
      }
    } catch (IOException e) {
      throw new SchemaRegistryUnreachable(
          "the schema registry at "
              + settings.describeUrls()
              + " (schema.registry.url) does not answer: "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryUnreachable("interrupted while reaching the schema registry", e);
    }
  }

  @Override
  public Optional<Schema> writerSchema(int id) {
    Schema cached = schemas.get(id);
    if (cached != null) {
      return Optional.of(cached);
    }
    long deadline = System.nanoTime() + retryBudget.toNanos();
    long backoff = FIRST_BACKOFF_MS;
    for (int attempt = 1; ; attempt++) {
      try {
        Answer answer = send(get("/schemas/ids/" + id));
        if (answer.status() == 404) {
          outage = null;
          return Optional.empty();
        }
        if (answer.status() != 200) {
          throw new IOException(answer.describe());
        }
        outage = null;
        Schema schema = parseAvro(id, answer.body());
        schemas.put(id, schema);
        return Optional.of(schema);
      } catch (IOException e) {
        failures.increment();
        boolean retry = System.nanoTime() + backoff * 1_000_000 < deadline;
        String problem =
            "schema registry unreachable looking up schema id "
                + id
                + " (attempt "
                + attempt
                + "): "
                + e.getMessage();
        if (outage == null) {
          outage = "since " + Instant.now() + ", " + problem;
        }
        log.println(
            "warning: "
                + problem
                + (retry
                    ? "; retrying in " + backoff + " ms"
                    : "; giving up for now: the transaction is aborted and the record processed"
                        + " again"));
        if (!retry) {
          throw new SchemaUnavailableException(id, problem, e);
        }
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new SchemaUnavailableException(id, problem, interrupted);
        }
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaUnavailableException(id, "interrupted looking up schema id " + id, e);
      }
    }
  }

  /**
   * Registers schema under subject (or finds it registered already) and returns its id.
   *
   * @throws Refused when the registry will not take it, with the registry's own reason
   * @throws SchemaRegistryUnreachable when no URL answers
   */
  public int register(String subject, Schema schema) throws Refused {
    String body;
    try {
      body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    try {
      Answer answer =
          send(
              base ->
                  request(
                          base,
                          "/subjects/"
                              + URLEncoder.encode(subject, StandardCharsets.UTF_8)
                              + "/versions")
                      .header("Content-Type", CONTENT_TYPE)
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build());
      if (answer.status() == 200) {
        int id = JSON.readTree(answer.body()).get("id").asInt();
        schemas.put(id, schema); // readers of our own outputs (the dashboard) need no lookup
        return id;
      }
      if (answer.status() == 409 || answer.status() == 422) {
        throw new Refused(
            "the schema registry refuses "
                + schema.getFullName()
                + " under subject "
                + subject
                + ": "
                + answer.describe());
      }
      throw new IOException(answer.describe());
    } catch (IOException e) {
      throw new SchemaRegistryUnreachable(
          "the schema registry at "
              + settings.describeUrls()
              + " did not register "
              + schema.getFullName()
              + " under subject "
              + subject
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryUnreachable("interrupted while registering " + subject, e);
    }
  }

  /** Why lookups fail now, or empty while the registry answers. */
  public Optional<String> outage() {
    return Optional.ofNullable(outage);
  }

  /** Lookup attempts that found no registry to answer, since start. */
  public long failures() {
    return failures.sum();
  }

  private static Schema parseAvro(int id, String body) {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("the registry's answer for id " + id + " is no JSON", e);
    }
    String type = node.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new IllegalArgumentException("schema type " + type + ", not AVRO");
    }
    try {
      return new Schema.Parser().parse(node.path("schema").asText());
    } catch (AvroRuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** One HTTP request to a path under a base URL. */
  private interface Request {
    HttpRequest to(URI base);
  }

  private Request get(String path) {
    return base -> request(base, path).GET().build();
  }

  private HttpRequest.Builder request(URI base, String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", CONTENT_TYPE + ", application/json");
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private record Answer(URI base, int status, String body) {
    String describe() {
      return base + " answered HTTP " + status + " " + body;
    }
  }

  /**
   * The first answer from the URLs in turn, starting with the one that answered last; a 5xx or an
   * I/O failure moves on to the next.
   */
  private Answer send(Request request) throws IOException, InterruptedException {
    List<URI> urls = settings.urls();
    IOException failure = null;
    int first = preferred;
    for (int i = 0; i < urls.size(); i++) {
      int index = (first + i) % urls.size();
      URI base = urls.get(index);
      try {
        HttpResponse<String> response =
            http.send(request.to(base), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 500) {
          failure = new IOException(base + " answered HTTP " + response.statusCode());
          continue;
        }
        preferred = index;
        return new Answer(base, response.statusCode(), response.body());
      } catch (IOException e) {
        failure = new IOException(base + ": " + e, e);
      }
    }
    throw failure;
  }

  private static SSLContext sslContext(SchemaRegistrySettings.Tls tls) {
    try {
      TrustManagerFactory trust = null;
      if (!tls.truststoreLocation().isEmpty()) {
        KeyStore store =
            load(tls.truststoreLocation(), tls.truststoreType(), tls.truststorePassword());
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
      }
      KeyManagerFactory keys = null;
      if (!tls.keystoreLocation().isEmpty()) {
        KeyStore store = load(tls.keystoreLocation(), tls.keystoreType(), tls.keystorePassword());
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        String keyPassword =
            tls.keyPassword().isEmpty() ? tls.keystorePassword() : tls.keyPassword();
        keys.init(store, keyPassword.toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keys == null ? null : keys.getKeyManagers(),
          trust == null ? null : trust.getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new Configuration.InvalidSetting(
          "schema.registry.ssl.* settings: cannot set up TLS for the schema registry: " + e);
    }
  }

  private static KeyStore load(String location, String type, String password)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      store.load(in, password.isEmpty() ? null : password.toCharArray());
    }
    return store;
  }
}
