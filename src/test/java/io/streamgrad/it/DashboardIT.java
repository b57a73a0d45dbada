package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.BundledData;
import io.streamgrad.Promtool;
import io.streamgrad.http.Instance;
import io.streamgrad.learn.Sample;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.records.SampleFile;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.KafkaClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in a real headless Chromium, and /metrics, against a service on a real broker. */
class DashboardIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static EmbeddedBroker broker;
  static Instance service;
  private final HttpClient http = HttpClient.newHttpClient();
  private final SampleDecoder codec = new SampleDecoder();

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start();
    Configuration config =
        Configuration.defaultsOnly()
            .with("bootstrap.servers", broker.bootstrapServers())
            .with("http.port", "0")
            .with("commit.interval.ms", "200")
            .with("loss.every.samples", "50")
            .with("loss.every.ms", "500");
    service =
        Instance.start(
            config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    service.awaitRunning(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    service.close();
    broker.close();
  }

  private void produce(
      KafkaProducer<byte[], byte[]> producer, List<Sample> samples, int from, int to) {
    for (Sample sample : samples.subList(from, to)) {
      producer.send(
          new ProducerRecord<>("streamgrad.samples", bytes("digits"), codec.encodeAvro(sample)));
    }
    producer.flush();
  }

  @Test
  void shouldDrawALiveLossChartInARealBrowser() throws Exception {
    assertTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the browser test needs Debian's chromium and chromium-driver: run bash .ci/run, which installs them");
    List<Sample> samples = SampleFile.readAll(BundledData.digitsCsv(dir), "label");
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(broker.bootstrapServers(), Map.of())) {
      producer
          .send(
              new ProducerRecord<>(
                  "streamgrad.models", bytes("digits"), bytes(BundledData.digitsSpec())))
          .get();
      Thread.sleep(300);
      produce(producer, samples, 0, 400);

      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--window-size=1280,900",
          "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"));
      ChromeDriverService driverService =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(CHROMEDRIVER.toFile())
              .usingAnyFreePort()
              .build();
      ChromeDriver browser = new ChromeDriver(driverService, options);
      try {
        browser.get("http://127.0.0.1:" + service.httpPort() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        By chart = By.cssSelector("svg.loss-chart[data-model='digits']");
        wait.until(
            d ->
                !d.findElements(chart).isEmpty()
                    && d.findElement(chart).getAttribute("data-last-samples") != null
                    && !d.findElement(chart).findElements(By.tagName("polyline")).isEmpty());
        String before = browser.findElement(chart).getAttribute("data-last-samples");
        wait.until(d -> d.findElement(By.id("card-digits")).getText().contains("2410 parameters"));
        String card = browser.findElement(By.id("card-digits")).getText();
        assertTrue(card.contains("42 neurons, 2368 weights, 42 biases, 2410 parameters"), card);
        assertTrue(card.contains("64→32 sigmoid, 32→10 softmax"), card);
        WebElement download = browser.findElement(By.cssSelector("#card-digits a[download]"));
        assertEquals("/models/digits", URI.create(download.getAttribute("href")).getPath());

        wait.until(
            d -> d.findElement(By.id("card-digits")).getText().contains("learning rate 0.02"));
        By metricRows = By.cssSelector("#card-digits table.metrics tr[data-metric]");
        wait.until(d -> !d.findElements(metricRows).isEmpty());
        List<String> shown =
            browser.findElements(metricRows).stream()
                .map(r -> r.getAttribute("data-metric"))
                .toList();
        assertEquals(List.of("accuracy", "log_loss", "macro_f1"), shown, "a softmax classifier's");

        produce(producer, samples, 400, 800);
        wait.until(d -> !before.equals(d.findElement(chart).getAttribute("data-last-samples")));
        String after = browser.findElement(chart).getAttribute("data-last-samples");
        assertNotEquals(before, after, "the last point moves as samples are produced");
        assertTrue(Long.parseLong(after) > Long.parseLong(before));
        wait.until(d -> d.findElement(chart).getAttribute("data-last-samples").equals("800"));
        JsonNode model = committedSummary("digits", 800);
        assertEquals(0.02, model.get("learning_rate").asDouble());
        List<WebElement> accuracy =
            browser
                .findElement(By.cssSelector("#card-digits tr[data-metric='accuracy']"))
                .findElements(By.tagName("td"));
        assertEquals(
            model.get("accuracy").asDouble(), Double.parseDouble(accuracy.get(1).getText()), 1e-4);
        assertEquals(
            model.get("window_accuracy").asDouble(),
            Double.parseDouble(accuracy.get(2).getText()),
            1e-4);
        Path screenshot = Path.of("target", "dashboard.png");
        Files.createDirectories(screenshot.getParent());
        Files.copy(
            ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
            screenshot,
            StandardCopyOption.REPLACE_EXISTING);
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void shouldExposePrometheusMetricsThatMatchWhatWasProduced() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(broker.bootstrapServers(), Map.of())) {
      producer
          .send(
              new ProducerRecord<>(
                  "streamgrad.models",
                  bytes("iris"),
                  bytes(
                      "{\"model\": \"iris\", \"layers\": [{\"in\": 4, \"out\": 6, \"activation\": \"tanh\"},"
                          + " {\"in\": 6, \"out\": 3, \"activation\": \"softmax\"}], \"loss\": \"softmax_ce\"}")))
          .get();
      Thread.sleep(300);
      List<Sample> iris = SampleFile.readAll(copy("iris.csv"), "label");
      for (Sample sample : iris) {
        producer.send(
            new ProducerRecord<>("streamgrad.samples", bytes("iris"), codec.encodeAvro(sample)));
      }
      for (int i = 0; i < 7; i++) {
        producer.send(
            new ProducerRecord<>("streamgrad.samples", bytes("iris"), new byte[] {9, 9, 9}));
      }
      producer.flush();
    }
    long deadline = System.currentTimeMillis() + 60_000;
    Map<String, Double> metrics = Map.of();
    String text = "";
    while (System.currentTimeMillis() < deadline) {
      text = get("/metrics").body();
      metrics = parse(text);
      if (metrics.getOrDefault("streamgrad_model_samples_total{model=\"iris\"}", 0.0) == 150.0) {
        break;
      }
      Thread.sleep(300);
    }
    assertEquals(
        150.0, metrics.get("streamgrad_model_samples_total{model=\"iris\"}"), metrics.toString());
    assertEquals(150.0, metrics.get("streamgrad_model_steps_total{model=\"iris\"}"));
    assertEquals(0.0, metrics.get("streamgrad_model_refused_steps_total{model=\"iris\"}"));
    assertTrue(metrics.get("streamgrad_model_mean_loss{model=\"iris\"}") > 0);
    assertTrue(metrics.containsKey("streamgrad_model_error_rate{model=\"iris\"}"));
    assertEquals(0.01, metrics.get("streamgrad_model_learning_rate{model=\"iris\"}"));
    assertEquals(
        1.0 - metrics.get("streamgrad_model_error_rate{model=\"iris\"}"),
        metrics.get("streamgrad_model_accuracy{model=\"iris\"}"),
        1e-12);
    assertTrue(metrics.get("streamgrad_model_window_log_loss{model=\"iris\"}") > 0);
    assertTrue(metrics.containsKey("streamgrad_model_window_macro_f1{model=\"iris\"}"));
    assertFalse(metrics.containsKey("streamgrad_model_mae{model=\"iris\"}"), "a classifier");
    assertEquals(7.0, metrics.get("streamgrad_dead_letters_total{reason=\"UNDECODABLE\"}"));
    assertTrue(
        metrics.keySet().stream()
            .anyMatch(k -> k.startsWith("kafka_streams_stream_thread_metrics_process_rate{")),
        "Kafka Streams' own metrics are exported, one Prometheus metric each");
    assertTrue(
        metrics.keySet().stream()
            .anyMatch(
                k -> k.startsWith("kafka_streams_stream_thread_metrics_commit_latency_avg{")));
    Promtool.assertClean(text);
  }

  @Test
  void shouldStayReadOnly() throws Exception {
    assertEquals(404, get("/nowhere").statusCode());
    HttpResponse<String> bad = get("/models/no-such-model");
    assertEquals(404, bad.statusCode());
    assertTrue(bad.body().contains("no model 'no-such-model'"), bad.body());
    HttpResponse<String> delete =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.httpPort() + "/models/digits"))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, delete.statusCode());
    assertEquals(200, get("/").statusCode());
    assertTrue(get("/").body().contains("EventSource"));
  }

  /** The model's entry in GET /models once it has learnt this many samples (as of a commit). */
  private JsonNode committedSummary(String id, long samples) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      for (JsonNode model : new ObjectMapper().readTree(get("/models").body())) {
        if (model.get("model").asText().equals(id) && model.get("samples").asLong() == samples) {
          return model;
        }
      }
      assertTrue(System.currentTimeMillis() < deadline, "GET /models never showed " + samples);
      Thread.sleep(200);
    }
  }

  /**
   * Prometheus text format: "name{labels} value" lines; # lines are comments. Fails on anything
   * else.
   */
  static Map<String, Double> parse(String text) {
    Map<String, Double> values = new HashMap<>();
    Pattern line =
        Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})?) ([-+0-9.eE]+|NaN|[+-]Inf)$");
    for (String raw : text.split("\n")) {
      if (raw.isBlank() || raw.startsWith("#")) {
        continue;
      }
      Matcher m = line.matcher(raw);
      assertTrue(m.matches(), "not Prometheus text: " + raw);
      values.put(m.group(1), Double.parseDouble(m.group(3).replace("Inf", "Infinity")));
    }
    return values;
  }

  private Path copy(String dataset) throws Exception {
    Path file = dir.resolve(dataset);
    try (var in = getClass().getResourceAsStream("/datasets/" + dataset)) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
