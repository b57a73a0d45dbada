package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerCodec;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.StreamsProperties;
import io.streamgrad.stream.ModelQuery;
import io.streamgrad.stream.StreamSettings;
import io.streamgrad.stream.StreamgradTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner on a real broker under exactly-once v2: the whole flow, then a restart that restores.
 */
class LearnerIT {
  static final StreamSettings SETTINGS = StreamSettings.defaults();
  static final org.apache.kafka.streams.CloseOptions CLOSE =
      org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
              org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
          .withTimeout(Duration.ofSeconds(30));
  static EmbeddedBroker broker;

  @TempDir Path stateDir;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = EmbeddedBroker.start();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(SETTINGS.samplesTopic(), 2, (short) 1),
                  new NewTopic(SETTINGS.modelsTopic(), 2, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact")),
                  new NewTopic(SETTINGS.predictionsTopic(), 2, (short) 1),
                  new NewTopic(SETTINGS.lossTopic(), 1, (short) 1),
                  new NewTopic(SETTINGS.deadLettersTopic(), 1, (short) 1),
                  new NewTopic(SETTINGS.eventsTopic(), 1, (short) 1),
                  new NewTopic(SETTINGS.labels().labelsTopic(), 2, (short) 1),
                  new NewTopic(SETTINGS.labels().outcomesTopic(), 1, (short) 1)))
          .all()
          .get();
    }
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  static String spec(String model, String sizes, String optimizer, int minibatch) {
    String[] s = sizes.split("-");
    return "{\"model\": \""
        + model
        + "\", \"layers\": [{\"in\": "
        + s[0]
        + ", \"out\": "
        + s[1]
        + ", \"activation\": \"tanh\"}, {\"in\": "
        + s[1]
        + ", \"out\": "
        + s[2]
        + ", \"activation\": \"softmax\"}], \"loss\": \"softmax_ce\", \"optimizer\": "
        + optimizer
        + ", \"minibatch\": "
        + minibatch
        + ", \"seed\": 11}";
  }

  KafkaStreams startStreams(String dirName) throws Exception {
    return startStreams(SETTINGS, "learner-it", dirName);
  }

  KafkaStreams startStreams(StreamSettings settings, String applicationId, String dirName)
      throws Exception {
    Properties props =
        StreamsProperties.of(
            applicationId, broker.bootstrapServers(), "exactly_once_v2", 200, settings);
    props.put(
        StreamsConfig.STATE_DIR_CONFIG,
        Files.createDirectories(stateDir.resolve(dirName)).toString());
    KafkaStreams streams =
        new KafkaStreams(
            StreamgradTopology.build(settings, new io.streamgrad.stream.StreamMetrics(), props),
            props);
    streams.start();
    return streams;
  }

  @Test
  void shouldLearnEverySampleExactlyOnceAndRestoreEveryModelBitIdentically() throws Exception {
    Map<String, String> specs =
        Map.of(
            "alpha",
                spec(
                    "alpha",
                    "4-8-3",
                    "{\"type\": \"sgd\", \"learning_rate\": 0.05, \"momentum\": 0.9}",
                    1),
            "beta", spec("beta", "4-6-3", "{\"type\": \"adam\", \"learning_rate\": 0.01}", 4),
            "gamma", spec("gamma", "4-5-3", "{\"type\": \"sgd\", \"learning_rate\": 0.1}", 1));
    Map<String, Learner> offline = new HashMap<>();
    specs.forEach(
        (model, json) ->
            offline.put(model, Learner.create(ModelFile.parse(json), StatsSettings.DEFAULT)));
    SampleDecoder codec = new SampleDecoder();
    SplittableRandom random = new SplittableRandom(1);
    int perModel = 400;

    KafkaStreams streams = startStreams("first");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      specs.forEach(
          (model, json) ->
              producer.send(
                  new ProducerRecord<>(
                      SETTINGS.modelsTopic(),
                      model.getBytes(StandardCharsets.UTF_8),
                      json.getBytes(StandardCharsets.UTF_8))));
      producer.flush();
      Thread.sleep(500); // specs first: samples carry later timestamps
      for (int s = 0; s < perModel; s++) {
        for (String model : List.of("alpha", "beta", "gamma")) {
          double[] x = random.doubles(4, -1, 1).toArray();
          Sample sample =
              new Sample(
                  model + "-" + s,
                  x,
                  s % 10 == 9 ? null : new double[] {x[0] > x[1] ? 1 : (x[2] > 0 ? 2 : 0)},
                  0);
          offline.get(model).learn(sample);
          producer.send(
              new ProducerRecord<>(
                  SETTINGS.samplesTopic(),
                  model.getBytes(StandardCharsets.UTF_8),
                  codec.encodeAvro(sample)));
        }
        if (s == perModel / 2) {
          producer.flush();
          // Restart mid-stream: the new instance restores from the changelog and goes on.
          ItSupport.readPredictions(
              broker.bootstrapServers(),
              SETTINGS.predictionsTopic(),
              3 * (perModel / 2 + 1),
              Duration.ofSeconds(60));
          streams.close(CLOSE);
          streams = startStreams("second");
        }
      }
    }
    Set<String> ids =
        ItSupport.readPredictions(
            broker.bootstrapServers(),
            SETTINGS.predictionsTopic(),
            3 * perModel,
            Duration.ofSeconds(120));
    assertEquals(3 * perModel, ids.size());
    Map<String, byte[]> states = queryAll(streams, 3);
    for (String model : specs.keySet()) {
      assertEquals(
          offline.get(model).modelFile(),
          LearnerCodec.decode(states.get(model)).modelFile(),
          "model " + model + " is bit-identical to replay");
    }
    streams.close(CLOSE);

    // A cold restart from nothing but the changelog gives the same models.
    KafkaStreams restored = startStreams("third");
    Map<String, byte[]> after = queryAll(restored, 3);
    for (String model : specs.keySet()) {
      assertEquals(
          offline.get(model).modelFile(), LearnerCodec.decode(after.get(model)).modelFile());
    }
    restored.close(CLOSE);
  }

  @Test
  void shouldLearnSamplesProducedBeforeTheirSpecEvenAcrossARestart() throws Exception {
    StreamSettings settings =
        Configuration.defaultsOnly()
            .with("topic.samples", "late.samples")
            .with("topic.models", "late.models")
            .with("topic.predictions", "late.predictions")
            .with("topic.loss", "late.loss")
            .with("topic.dead-letters", "late.dead-letters")
            .with("topic.events", "late.events")
            .with("topic.labels", "late.labels")
            .with("topic.outcomes", "late.outcomes")
            .streamSettings();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(settings.samplesTopic(), 2, (short) 1),
                  new NewTopic(settings.modelsTopic(), 2, (short) 1),
                  new NewTopic(settings.predictionsTopic(), 2, (short) 1),
                  new NewTopic(settings.lossTopic(), 1, (short) 1),
                  new NewTopic(settings.deadLettersTopic(), 1, (short) 1),
                  new NewTopic(settings.eventsTopic(), 1, (short) 1),
                  new NewTopic(settings.labels().labelsTopic(), 2, (short) 1),
                  new NewTopic(settings.labels().outcomesTopic(), 1, (short) 1)))
          .all()
          .get();
    }
    String json = spec("late", "4-6-3", "{\"type\": \"sgd\", \"learning_rate\": 0.05}", 1);
    Learner offline = Learner.create(ModelFile.parse(json), StatsSettings.DEFAULT);
    SampleDecoder codec = new SampleDecoder();
    SplittableRandom random = new SplittableRandom(2);
    byte[] key = "late".getBytes(StandardCharsets.UTF_8);
    int count = 60;

    KafkaStreams streams = startStreams(settings, "learner-it-late", "late-first");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int s = 0; s < count; s++) {
        double[] x = random.doubles(4, -1, 1).toArray();
        Sample sample =
            new Sample("late-" + s, x, new double[] {x[0] > x[1] ? 1 : (x[2] > 0 ? 2 : 0)}, 0);
        offline.learn(sample);
        producer.send(new ProducerRecord<>(settings.samplesTopic(), key, codec.encodeAvro(sample)));
      }
      producer.flush();
      // The samples wait in the store (committed every 200 ms); then the instance goes away and a
      // new one, with an empty state directory, gets them back from the changelog alone.
      long deadline = System.currentTimeMillis() + 60_000;
      while (streams.state() != KafkaStreams.State.RUNNING || processed(streams) < count) {
        assertTrue(System.currentTimeMillis() < deadline, "samples consumed in time");
        Thread.sleep(100);
      }
      Thread.sleep(500);
      streams.close(CLOSE);
      streams = startStreams(settings, "learner-it-late", "late-second");
      producer
          .send(
              new ProducerRecord<>(
                  settings.modelsTopic(), key, json.getBytes(StandardCharsets.UTF_8)))
          .get();
    }
    Set<String> ids =
        ItSupport.readPredictions(
            broker.bootstrapServers(), settings.predictionsTopic(), count, Duration.ofSeconds(60));
    assertEquals(count, ids.size());
    assertEquals(
        offline.modelFile(),
        LearnerCodec.decode(queryAll(streams, 1).get("late")).modelFile(),
        "as if the spec had come first");
    streams.close(CLOSE);
  }

  /** Records the stream thread has processed so far (Kafka Streams' own process-total). */
  private static double processed(KafkaStreams streams) {
    return streams.metrics().values().stream()
        .filter(
            m ->
                m.metricName().name().equals("process-total")
                    && m.metricName().group().equals("stream-thread-metrics"))
        .mapToDouble(m -> ((Number) m.metricValue()).doubleValue())
        .sum();
  }

  private Map<String, byte[]> queryAll(KafkaStreams streams, int models) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try {
        if (streams.state() == KafkaStreams.State.RUNNING) {
          Map<String, byte[]> all = new HashMap<>();
          var result =
              streams.query(
                  StateQueryRequest.inStore(StreamSettings.STORE).withQuery(new ModelQuery(null)));
          result
              .getPartitionResults()
              .values()
              .forEach(
                  r -> {
                    if (r.isSuccess()) {
                      all.putAll(r.getResult());
                    }
                  });
          if (all.size() == models && result.getPartitionResults().size() == 2) {
            return all;
          }
        }
      } catch (RuntimeException retry) {
        // rebalancing: try again
      }
      assertTrue(System.currentTimeMillis() < deadline, "models queryable in time");
      Thread.sleep(200);
    }
  }
}
