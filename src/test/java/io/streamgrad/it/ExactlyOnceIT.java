package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.http.Instance;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.KafkaClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once under an injected failure, and a model of 100k+ parameters through the changelog.
 */
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

  static Configuration config(String prefix) {
    return config(broker.bootstrapServers(), prefix);
  }

  /** A service of its own: application id and topics named after prefix. */
  static Configuration config(String bootstrapServers, String prefix) {
    return Configuration.defaultsOnly()
        .with("bootstrap.servers", bootstrapServers)
        .with("application.id", prefix)
        .with("http.port", "0")
        .with("topics.partitions", "2")
        .with("topic.samples", prefix + ".samples")
        .with("topic.models", prefix + ".models")
        .with("topic.predictions", prefix + ".predictions")
        .with("topic.loss", prefix + ".loss")
        .with("topic.dead-letters", prefix + ".dead-letters")
        .with("topic.labels", prefix + ".labels")
        .with("topic.outcomes", prefix + ".outcomes");
  }

  static Instance start(Configuration config) throws Exception {
    Instance service =
        Instance.start(
            config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    service.awaitRunning(Duration.ofSeconds(60));
    return service;
  }

  @Test
  void shouldCountEverySampleExactlyOnceAfterAnInjectedFailure() throws Exception {
    FailOnceWrapper.SEEN.set(0);
    FailOnceWrapper.FAILED.set(false);
    FailOnceWrapper.FAIL_AT.set(700);
    Configuration config =
        config("eos-failure")
            .with("commit.interval.ms", "2000")
            .with("kafka.processor.wrapper.class", FailOnceWrapper.class.getName())
            // The dead thread never says goodbye: a short session lets its replacement in quickly.
            .with("kafka.session.timeout.ms", "6000");
    Map<String, String> specs =
        Map.of(
            "alpha",
                LearnerIT.spec(
                    "alpha",
                    "4-8-3",
                    "{\"type\": \"sgd\", \"learning_rate\": 0.05, \"momentum\": 0.9}",
                    1),
            "beta",
                LearnerIT.spec(
                    "beta", "4-6-3", "{\"type\": \"adam\", \"learning_rate\": 0.01}", 4));
    Map<String, Learner> offline = new HashMap<>();
    specs.forEach(
        (m, json) -> offline.put(m, Learner.create(ModelFile.parse(json), StatsSettings.DEFAULT)));
    SampleDecoder codec = new SampleDecoder();
    SplittableRandom random = new SplittableRandom(9);
    int perModel = 600;
    try (Instance service = start(config);
        KafkaProducer<byte[], byte[]> producer =
            KafkaClients.producer(broker.bootstrapServers(), Map.of())) {
      for (var spec : specs.entrySet()) {
        producer
            .send(
                new ProducerRecord<>(
                    "eos-failure.models", bytes(spec.getKey()), bytes(spec.getValue())))
            .get();
      }
      Thread.sleep(300);
      for (int s = 0; s < perModel; s++) {
        for (String model : List.of("alpha", "beta")) {
          double[] x = random.doubles(4, -1, 1).toArray();
          Sample sample =
              new Sample(
                  model + "-" + s, x, new double[] {x[0] > x[1] ? 1 : (x[2] > 0 ? 2 : 0)}, 0);
          offline.get(model).learn(sample);
          producer.send(
              new ProducerRecord<>("eos-failure.samples", bytes(model), codec.encodeAvro(sample)));
        }
      }
      producer.flush();
      Set<String> ids =
          ItSupport.readPredictions(
              broker.bootstrapServers(),
              "eos-failure.predictions",
              2 * perModel,
              Duration.ofSeconds(120));
      assertEquals(2 * perModel, ids.size());
      assertTrue(FailOnceWrapper.FAILED.get(), "the failure was injected");
      for (String model : specs.keySet()) {
        assertEquals(
            offline.get(model).modelFile(),
            ItSupport.awaitModel(service.httpPort(), model, perModel, Duration.ofSeconds(90)),
            model + ": every sample counted exactly once");
      }
    }
  }

  @Test
  void shouldCheckpointAndRestoreAModelOfMoreThan100kParameters() throws Exception {
    String spec =
        "{\"model\": \"big\", \"layers\": [{\"in\": 784, \"out\": 128, \"activation\": \"sigmoid\"},"
            + " {\"in\": 128, \"out\": 10, \"activation\": \"softmax\"}], \"loss\": \"softmax_ce\","
            + " \"optimizer\": {\"type\": \"adam\", \"learning_rate\": 0.001}, \"minibatch\": 1, \"seed\": 5}";
    Learner offline = Learner.create(ModelFile.parse(spec), StatsSettings.DEFAULT);
    assertTrue(offline.architecture().parameters() > 100_000);
    SampleDecoder codec = new SampleDecoder();
    SplittableRandom random = new SplittableRandom(3);
    Configuration config = config("big-model").with("commit.interval.ms", "500");
    int samples = 40;
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(broker.bootstrapServers(), Map.of())) {
      try (Instance service = start(config)) {
        producer.send(new ProducerRecord<>("big-model.models", bytes("big"), bytes(spec))).get();
        Thread.sleep(300);
        for (int s = 0; s < samples; s++) {
          Sample sample =
              new Sample(
                  "b" + s,
                  random.doubles(784, 0, 1).toArray(),
                  new double[] {random.nextInt(10)},
                  0);
          offline.learn(sample);
          producer.send(
              new ProducerRecord<>("big-model.samples", bytes("big"), codec.encodeAvro(sample)));
        }
        producer.flush();
        assertEquals(
            offline.modelFile(),
            ItSupport.awaitModel(service.httpPort(), "big", samples, Duration.ofSeconds(90)));
      }
      // A new instance with nothing but the changelog (2.4 MB records) restores it bit for bit.
      try (Instance restored = start(config)) {
        assertEquals(
            offline.modelFile(),
            ItSupport.awaitModel(restored.httpPort(), "big", samples, Duration.ofSeconds(90)));
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
