package io.streamgrad.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.stream.AvroCodec;
import io.streamgrad.stream.SampleDecoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Exactly-once under an injected failure, and a model of 100k+ parameters through the changelog. */
class ExactlyOnceIT {
  static EmbeddedBroker broker;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  static AppConfig config(String prefix) {
    return config(broker.bootstrapServers(), prefix);
  }

  /** A service of its own: application id and topics named after prefix. */
  static AppConfig config(String bootstrapServers, String prefix) {
    return AppConfig.defaultsOnly()
        .with("bootstrap.servers", bootstrapServers)
        .with("application.id", prefix)
        .with("http.port", "0")
        .with("topics.partitions", "2")
        .with("topic.samples", prefix + ".samples")
        .with("topic.models", prefix + ".models")
        .with("topic.predictions", prefix + ".predictions")
        .with("topic.loss", prefix + ".loss")
        .with("topic.dead-letters", prefix + ".dead-letters");
  }

  static Service start(AppConfig config) throws Exception {
    Service service = Service.start(config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    service.awaitRunning(Duration.ofSeconds(60));
    return service;
  }

  @Test
  void shouldCountEverySampleExactlyOnceAfterAnInjectedFailure() throws Exception {
    FailOnceWrapper.SEEN.set(0);
    FailOnceWrapper.FAILED.set(false);
    FailOnceWrapper.FAIL_AT.set(700);
    AppConfig config = config("eos-failure").with("commit.interval.ms", "2000")
        .with("kafka.processor.wrapper.class", FailOnceWrapper.class.getName())
        // The dead thread never says goodbye: a short session lets its replacement in quickly.
        .with("kafka.session.timeout.ms", "6000");
    Map<String, String> specs = Map.of(
        "alpha", LearnerIT.spec("alpha", "4-8-3", "{\"type\": \"sgd\", \"learning_rate\": 0.05, \"momentum\": 0.9}", 1),
        "beta", LearnerIT.spec("beta", "4-6-3", "{\"type\": \"adam\", \"learning_rate\": 0.01}", 4));
    Map<String, Learner> offline = new HashMap<>();
    specs.forEach((m, json) -> offline.put(m, Learner.create(ModelFile.parse(json), StatsSettings.DEFAULT)));
    SampleDecoder codec = new SampleDecoder();
    SplittableRandom random = new SplittableRandom(9);
    int perModel = 600;
    try (Service service = start(config);
         KafkaProducer<byte[], byte[]> producer = ProduceCommand.producer(broker.bootstrapServers())) {
      for (var spec : specs.entrySet()) {
        producer.send(new ProducerRecord<>("eos-failure.models", bytes(spec.getKey()), bytes(spec.getValue()))).get();
      }
      Thread.sleep(300);
      for (int s = 0; s < perModel; s++) {
        for (String model : List.of("alpha", "beta")) {
          double[] x = random.doubles(4, -1, 1).toArray();
          Sample sample = new Sample(model + "-" + s, x, new double[] {x[0] > x[1] ? 1 : (x[2] > 0 ? 2 : 0)}, 0);
          offline.get(model).learn(sample);
          producer.send(new ProducerRecord<>("eos-failure.samples", bytes(model), codec.encodeAvro(sample)));
        }
      }
      producer.flush();
      Set<String> ids = readPredictions("eos-failure.predictions", 2 * perModel, Duration.ofSeconds(120));
      assertEquals(2 * perModel, ids.size());
      assertTrue(FailOnceWrapper.FAILED.get(), "the failure was injected");
      for (String model : specs.keySet()) {
        assertEquals(offline.get(model).modelFile(), awaitModel(service.httpPort(), model, perModel),
            model + ": every sample counted exactly once");
      }
    }
  }

  @Test
  void shouldCheckpointAndRestoreAModelOfMoreThan100kParameters() throws Exception {
    String spec = "{\"model\": \"big\", \"layers\": [{\"in\": 784, \"out\": 128, \"activation\": \"sigmoid\"},"
        + " {\"in\": 128, \"out\": 10, \"activation\": \"softmax\"}], \"loss\": \"softmax_ce\","
        + " \"optimizer\": {\"type\": \"adam\", \"learning_rate\": 0.001}, \"minibatch\": 1, \"seed\": 5}";
    Learner offline = Learner.create(ModelFile.parse(spec), StatsSettings.DEFAULT);
    assertTrue(offline.architecture().parameters() > 100_000);
    SampleDecoder codec = new SampleDecoder();
    SplittableRandom random = new SplittableRandom(3);
    AppConfig config = config("big-model").with("commit.interval.ms", "500");
    int samples = 40;
    try (KafkaProducer<byte[], byte[]> producer = ProduceCommand.producer(broker.bootstrapServers())) {
      try (Service service = start(config)) {
        producer.send(new ProducerRecord<>("big-model.models", bytes("big"), bytes(spec))).get();
        Thread.sleep(300);
        for (int s = 0; s < samples; s++) {
          Sample sample = new Sample("b" + s, random.doubles(784, 0, 1).toArray(), new double[] {random.nextInt(10)}, 0);
          offline.learn(sample);
          producer.send(new ProducerRecord<>("big-model.samples", bytes("big"), codec.encodeAvro(sample)));
        }
        producer.flush();
        assertEquals(offline.modelFile(), awaitModel(service.httpPort(), "big", samples));
      }
      // A new instance with nothing but the changelog (2.4 MB records) restores it bit for bit.
      try (Service restored = start(config)) {
        assertEquals(offline.modelFile(), awaitModel(restored.httpPort(), "big", samples));
      }
    }
  }

  private String awaitModel(int port, String model, long samples) throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/models/" + model)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        last = response.body();
        ModelFile.parse(last);
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/models")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        for (var entry : node) {
          if (entry.get("model").asText().equals(model) && entry.get("samples").asLong() == samples) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/models/" + model)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
          }
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("model " + model + " never reached " + samples + " samples");
  }

  static Set<String> readPredictions(String topic, int expected, Duration timeout) {
    return readPredictionsFrom(broker.bootstrapServers(), topic, expected, timeout);
  }

  /** Every prediction on topic (read_committed), failing on a sample id seen twice. */
  static Set<String> readPredictionsFrom(String bootstrapServers, String topic, int expected, Duration timeout) {
    AvroCodec<Prediction> codec = new AvroCodec<>(Prediction.getClassSchema());
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Set<String> ids = new HashSet<>();
    int count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + timeout.toMillis();
      while (System.currentTimeMillis() < deadline && count < expected) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          count++;
          assertTrue(ids.add(codec.decode(record.value()).getSampleId()), "no prediction twice");
        }
      }
      // Anything more arriving shortly after would be a duplicate.
      for (var record : consumer.poll(Duration.ofSeconds(2))) {
        count++;
        assertTrue(ids.add(codec.decode(record.value()).getSampleId()), "no prediction twice");
      }
    }
    assertEquals(expected, count, "every prediction once");
    return ids;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
