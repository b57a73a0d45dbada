package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.avro.Event;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerEvent;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.OutputDecoder;
import io.streamgrad.records.OutputRecords;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A drift injected mid-stream on a real broker, with the service killed by SIGKILL just after it:
 * read_committed readers see exactly one drift event, the reaction (reset_model) happened once, and
 * the model is bit-identical to the learner's offline.
 */
class DriftIT {
  static final String PREFIX = "drift";
  static final int SAMPLES = 3000;
  static final int CHANGE = 1500;

  static final String SPEC =
      """
      {"model": "d", "layers": [{"in": 2, "out": 8, "activation": "tanh"},
       {"in": 8, "out": 1, "activation": "identity"}], "loss": "l2",
       "optimizer": {"type": "sgd", "learning_rate": 0.05}, "seed": 7,
       "drift": {"detector": "adwin"}, "on_drift": "reset_model"}
      """;

  @Test
  void shouldEmitOneDriftEventAndReactOnceAcrossAKillMinusNine() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : List.of("samples", "models", "predictions", "loss", "dead-letters")) {
          topics.add(new NewTopic(PREFIX + "." + topic, 1, (short) 1));
        }
        topics.add(new NewTopic(PREFIX + ".events", 1, (short) 1));
        admin.createTopics(topics).all().get();
      }
      Map<String, String> settings = new HashMap<>();
      settings.put("commit.interval.ms", "200");
      settings.put("kafka.session.timeout.ms", "6000");
      settings.put("kafka.heartbeat.interval.ms", "1000");
      settings.put("output.format", "json");
      for (String topic :
          List.of(
              "samples",
              "models",
              "predictions",
              "loss",
              "dead-letters",
              "events",
              "labels",
              "outcomes")) {
        settings.put("topic." + topic, PREFIX + "." + topic);
      }
      ChildService service =
          new ChildService(bootstrap, PREFIX, settings, Path.of("target", "drift-logs"));
      service.start();
      service.awaitRunning(Duration.ofSeconds(60));

      Learner offline = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
      List<Event> expected = new ArrayList<>();
      SampleDecoder codec = new SampleDecoder();
      SplittableRandom random = new SplittableRandom(1);
      int driftAt = -1;
      try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap, Map.of())) {
        producer.send(new ProducerRecord<>(PREFIX + ".models", bytes("d"), bytes(SPEC))).get();
        for (int t = 0; t < SAMPLES; t++) {
          double[] x = random.doubles(2, -1, 1).toArray();
          double y = x[0] + 0.5 * x[1];
          Sample sample = new Sample("s" + t, x, new double[] {t < CHANGE ? y : 1 - y}, 0);
          offline.learn(sample);
          for (LearnerEvent event : offline.takeEvents()) {
            expected.add(OutputRecords.event("d", event, 0));
            driftAt = t;
          }
          var sent =
              producer.send(
                  new ProducerRecord<>(PREFIX + ".samples", bytes("d"), codec.encodeAvro(sample)));
          if (t % 100 == 99) {
            sent.get();
            Thread.sleep(50);
          }
          if (t == driftAt + 30 && driftAt > 0) {
            // The drift and its reaction are in flight or just committed: kill -9 now.
            producer.flush();
            Thread.sleep(300);
            service.kill();
            service.start();
          }
        }
      }
      assertTrue(driftAt >= CHANGE && driftAt < CHANGE + 150, "offline drift at " + driftAt);
      service.awaitRunning(Duration.ofSeconds(90));
      ItSupport.awaitModel(service.httpPort(), "d", SAMPLES, Duration.ofSeconds(90));
      assertEquals(
          offline.modelFile(),
          service.get("/models/d").body(),
          "reacted once, exactly as the offline learner");

      List<Event> read = readEvents(bootstrap, expected.size() + 1, Duration.ofSeconds(30));
      assertEquals("SPEC_APPLIED", read.get(0).getType());
      List<Event> learnt = new ArrayList<>();
      for (Event event : read.subList(1, read.size())) {
        event.setTime(0L);
        learnt.add(event);
      }
      assertEquals(expected, learnt, "exactly the offline learner's events, once each");
      assertEquals(
          1, learnt.stream().filter(e -> e.getType().equals("DRIFT_DETECTED")).count(), "" + read);
      assertEquals("reset_model", learnt.get(0).getReaction());
      service.stop();
    }
  }

  /** Every event on the events topic (read_committed), waiting for expected, then 2 s more. */
  static List<Event> readEvents(String bootstrap, int expected, Duration timeout) {
    OutputDecoder decoder = new OutputDecoder();
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "events-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<Event> events = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(PREFIX + ".events"));
      long deadline = System.currentTimeMillis() + timeout.toMillis();
      while (System.currentTimeMillis() < deadline && events.size() < expected) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(decoder.event(r.value())));
      }
      consumer.poll(Duration.ofSeconds(2)).forEach(r -> events.add(decoder.event(r.value())));
    }
    return events;
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
