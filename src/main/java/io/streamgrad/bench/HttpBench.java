package io.streamgrad.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.KafkaClients;
import io.streamgrad.service.LocalResources;
import io.streamgrad.stream.StreamSettings;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code bench http}: a real instance ({@code run} in a child JVM) on a broker embedded here, one
 * model per size learning from a steady stream of labelled samples, and bounded loads of {@link
 * HttpLoad} against {@code POST /models/{id}/predict} (single samples and batches) next to {@code
 * GET /health/live}, the floor of the HTTP server itself.
 */
final class HttpBench {
  /** What the bench is asked to do. */
  record Plan(
      List<String> sizes,
      int batch,
      double rate,
      int connections,
      double trainRate,
      Duration warmup,
      Duration duration,
      long maxRequests) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double GOAL_LIVE_P99_MS = 1.0;
  private static final double GOAL_PREDICT_P99_MS = 5.0;
  private static final String GOAL_SIZE = "8-32-1";

  private final Plan plan;
  private final PrintStream out;

  HttpBench(Plan plan, PrintStream out) {
    this.plan = plan;
    this.out = out;
  }

  void run() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start();
        ChildInstance instance = ChildInstance.start(broker.bootstrapServers())) {
      StreamSettings topics = StreamSettings.defaults();
      String base = "http://127.0.0.1:" + instance.port;
      try (KafkaProducer<byte[], byte[]> producer =
              KafkaClients.producer(broker.bootstrapServers(), Map.of());
          SampleFeed feed =
              new SampleFeed(producer, topics.samplesTopic(), plan.sizes, plan.trainRate)) {
        for (String size : plan.sizes) {
          producer.send(
              new ProducerRecord<>(
                  topics.modelsTopic(),
                  model(size).getBytes(StandardCharsets.UTF_8),
                  ModelFile.sketch(model(size), size).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
        feed.start();
        for (String size : plan.sizes) {
          awaitCommitted(base, model(size));
        }
        out.printf(
            Locale.ROOT,
            "HTTP on 127.0.0.1, kept-alive HTTP/1.1 connections (Apache HttpClient, classic), one thread each;"
                + " %.0f s measured after %.0f s of warm-up, at most %d requests per row;"
                + " meanwhile every model learns from %.0f labelled samples/s%n",
            plan.duration.toMillis() / 1000.0,
            plan.warmup.toMillis() / 1000.0,
            plan.maxRequests,
            plan.trainRate);
        out.printf(
            Locale.ROOT,
            "%-34s %5s %8s %9s %9s %8s %8s %8s %8s%n",
            "request",
            "conns",
            "rate",
            "requests",
            "req/s",
            "p50 ms",
            "p99 ms",
            "p99.9 ms",
            "max ms");
        HttpLoad.Request live = new HttpLoad.Request(URI.create(base + "/health/live"), null);
        // The instance has just started: its JIT and Kafka Streams' first commits would land on
        // the first rows. Every kind of request once, unrecorded, before any row.
        new HttpLoad(live, 1, 0).run(plan.warmup, Duration.ZERO, 0);
        for (String size : plan.sizes) {
          for (int samples : new int[] {1, plan.batch}) {
            new HttpLoad(predict(base, size, samples), 1, 0).run(plan.warmup, Duration.ZERO, 0);
          }
        }
        boolean ok = true;
        double liveP99 = row("GET /health/live", live, 1, 0);
        for (String size : plan.sizes) {
          for (int samples : new int[] {1, plan.batch}) {
            ok &=
                !Double.isNaN(row(predictName(size, samples), predict(base, size, samples), 1, 0));
          }
        }
        row("GET /health/live", live, plan.connections, plan.rate);
        double predictP99 = Double.NaN;
        if (plan.sizes.contains(GOAL_SIZE)) {
          predictP99 =
              row(
                  predictName(GOAL_SIZE, 1),
                  predict(base, GOAL_SIZE, 1),
                  plan.connections,
                  plan.rate);
        }
        out.printf(Locale.ROOT, "training while loaded: %s%n", feed.report(samplesLearnt(base)));
        goal("GET /health/live p99, one kept-alive connection", liveP99, GOAL_LIVE_P99_MS);
        goal(
            String.format(
                Locale.ROOT,
                "predict %s p99 at %.0f requests/s while training",
                GOAL_SIZE,
                plan.rate),
            predictP99,
            GOAL_PREDICT_P99_MS);
        if (!ok || Double.isNaN(liveP99)) {
          throw new IllegalStateException("some requests failed: see the rows above");
        }
      }
    }
  }

  /** Runs one load and prints its row; returns its p99 in ms, or NaN when a request failed. */
  private double row(String name, HttpLoad.Request request, int connections, double rate)
      throws InterruptedException {
    HttpLoad.Result result =
        new HttpLoad(request, connections, rate).run(plan.warmup, plan.duration, plan.maxRequests);
    out.printf(
        Locale.ROOT,
        "%-34s %5d %8s %9d %9.0f %8.2f %8.2f %8.2f %8.2f%s%n",
        name,
        connections,
        rate > 0 ? String.format(Locale.ROOT, "%.0f/s", rate) : "max",
        result.requests(),
        result.requestsPerSecond(),
        result.percentileMillis(50),
        result.percentileMillis(99),
        result.percentileMillis(99.9),
        result.maxMillis(),
        result.errors() > 0
            ? "  " + result.errors() + " failed, first: " + result.firstError()
            : "");
    return result.errors() > 0 ? Double.NaN : result.percentileMillis(99);
  }

  private void goal(String what, double p99, double goalMillis) {
    out.printf(
        Locale.ROOT,
        "goal: %s under %.0f ms: %s%n",
        what,
        goalMillis,
        Double.isNaN(p99)
            ? "not measured"
            : String.format(Locale.ROOT, "%.2f ms, %s", p99, p99 < goalMillis ? "met" : "NOT met"));
  }

  private static String predictName(String size, int samples) {
    return "POST predict " + size + " x" + samples;
  }

  private static String model(String size) {
    return "http-bench-" + size;
  }

  /** A body of samples with features drawn from a fixed seed: the same body every run. */
  private static HttpLoad.Request predict(String base, String size, int samples) {
    int inputs = Integer.parseInt(size.substring(0, size.indexOf('-')));
    SplittableRandom random = new SplittableRandom(samples);
    StringBuilder body = new StringBuilder(samples > 1 ? "[" : "");
    for (int s = 0; s < samples; s++) {
      body.append(s > 0 ? "," : "").append("{\"id\":\"q").append(s).append("\",\"features\":");
      appendFeatures(body, random, inputs);
      body.append('}');
    }
    body.append(samples > 1 ? "]" : "");
    return new HttpLoad.Request(
        URI.create(base + "/models/" + model(size) + "/predict"),
        body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void appendFeatures(StringBuilder body, SplittableRandom random, int inputs) {
    body.append('[');
    for (int i = 0; i < inputs; i++) {
      body.append(i > 0 ? "," : "").append(Math.round(random.nextDouble(-1, 1) * 1e4) / 1e4);
    }
    body.append(']');
  }

  /**
   * The instance under load: {@code run} in a JVM of its own, as deployed, so that what it measures
   * is not the garbage and threads of the broker, the producer and the load beside it.
   */
  private static final class ChildInstance implements AutoCloseable {
    final int port = LocalResources.freePort();
    final Path dir = Files.createTempDirectory("streamgrad-bench-http");
    final Process process;

    private ChildInstance(String bootstrap) throws IOException {
      Path config = Files.writeString(dir.resolve("streamgrad.properties"), "");
      process =
          new ProcessBuilder(
                  BenchCommand.javaExecutable(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  // By name: bench sits beside cli and may not depend on it.
                  "io.streamgrad.cli.Main",
                  "run",
                  "--config",
                  config.toString(),
                  "--bootstrap-servers",
                  bootstrap,
                  "--http-port",
                  String.valueOf(port))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("run.log").toFile())
              .start();
    }

    static ChildInstance start(String bootstrap) throws Exception {
      ChildInstance instance = new ChildInstance(bootstrap);
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest ready =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port + "/health/ready"))
              .build();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (true) {
        if (!instance.process.isAlive() || System.nanoTime() > deadline) {
          String log = Files.readString(instance.dir.resolve("run.log"));
          instance.close();
          throw new IllegalStateException("the instance under load did not get ready:\n" + log);
        }
        try {
          if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return instance;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(200);
      }
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      LocalResources.deleteRecursively(dir);
    }
  }

  /** Labelled samples the instance has learnt, over every model, as of its last commit. */
  private static long samplesLearnt(String base) throws Exception {
    HttpResponse<String> models =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());
    long samples = 0;
    for (JsonNode model : JSON.readTree(models.body())) {
      samples += model.get("samples").asLong();
    }
    return samples;
  }

  /** Waits until the model has a committed state to answer from. */
  private static void awaitCommitted(String base, String model) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/models/" + model)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("model " + model + " has no committed state after 60 s");
      }
      Thread.sleep(100);
    }
  }

  /** Sends labelled samples to every model at a steady rate, so that the models keep learning. */
  private static final class SampleFeed implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final List<String> sizes;
    private final double ratePerModel;
    private final AtomicLong sent = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private long startedNanos;

    SampleFeed(
        KafkaProducer<byte[], byte[]> producer,
        String topic,
        List<String> sizes,
        double ratePerModel) {
      this.producer = producer;
      this.topic = topic;
      this.sizes = new ArrayList<>(sizes);
      this.ratePerModel = ratePerModel;
      this.thread = new Thread(this::feed, "http-bench-trainer");
      thread.setDaemon(true);
    }

    void start() {
      startedNanos = System.nanoTime();
      thread.start();
    }

    String report(long samplesProcessed) {
      double seconds = (System.nanoTime() - startedNanos) / 1e9;
      return String.format(
          Locale.ROOT,
          "%d samples sent in %.0f s (%.0f/s), %d learnt by the instance as of its last commit",
          sent.get(),
          seconds,
          sent.get() / seconds,
          samplesProcessed);
    }

    private void feed() {
      SplittableRandom random = new SplittableRandom(42);
      long interval = ratePerModel > 0 ? (long) (1e9 / ratePerModel) : Long.MAX_VALUE;
      long next = System.nanoTime();
      long n = 0;
      while (running && ratePerModel > 0) {
        LockSupport.parkNanos(next - System.nanoTime());
        for (String size : sizes) {
          String[] widths = size.split("-");
          int inputs = Integer.parseInt(widths[0]);
          int outputs = Integer.parseInt(widths[widths.length - 1]);
          StringBuilder sample =
              new StringBuilder("{\"id\":\"t").append(n).append("\",\"features\":");
          appendFeatures(sample, random, inputs);
          sample
              .append(",\"label\":")
              .append(outputs > 1 ? random.nextInt(outputs) : random.nextDouble())
              .append('}');
          producer.send(
              new ProducerRecord<>(
                  topic,
                  model(size).getBytes(StandardCharsets.UTF_8),
                  sample.toString().getBytes(StandardCharsets.UTF_8)));
          sent.incrementAndGet();
        }
        n++;
        next += interval;
      }
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join(5_000);
    }
  }
}
