package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamgrad.http.Instance;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.KafkaClients;
import io.streamgrad.service.LocalResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away for 20 seconds mid-stream: the service recovers by itself, nothing lost or
 * doubled.
 */
class OutageIT {
  static final int OUTAGE_SECONDS = 20;

  @Test
  void shouldRecoverByItselfFromABrokerOutage() throws Exception {
    Path dir = Files.createTempDirectory("streamgrad-outage-");
    int port = LocalResources.freePort();
    EmbeddedBroker broker = EmbeddedBroker.start(port, dir);
    String prefix = "outage";
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
    SplittableRandom random = new SplittableRandom(31);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int s = 0; s < 3000; s++) {
      String model = s % 3 == 0 ? "beta" : "alpha";
      double[] x = random.doubles(4, -1, 1).toArray();
      Sample sample =
          new Sample("o" + s, x, new double[] {x[0] > x[1] ? 1 : (x[2] > 0 ? 2 : 0)}, 0);
      offline.get(model).learn(sample);
      ids.add(sample.id());
      records.add(
          new ProducerRecord<>(
              prefix + ".samples",
              model.getBytes(StandardCharsets.UTF_8),
              codec.encodeAvro(sample)));
    }
    Configuration config =
        ExactlyOnceIT.config(broker.bootstrapServers(), prefix).with("commit.interval.ms", "200");
    try (Instance service = ExactlyOnceIT.start(config)) {
      try (KafkaProducer<byte[], byte[]> producer =
          KafkaClients.producer(broker.bootstrapServers(), Map.of())) {
        for (var spec : specs.entrySet()) {
          producer
              .send(
                  new ProducerRecord<>(
                      prefix + ".models",
                      spec.getKey().getBytes(StandardCharsets.UTF_8),
                      spec.getValue().getBytes(StandardCharsets.UTF_8)))
              .get();
        }
        Thread.sleep(300);
        for (var record : records.subList(0, 1500)) {
          producer.send(record);
        }
        producer.flush();
      }
      Thread.sleep(500); // mid-stream: some of it processed, some not yet
      broker.stop();
      Thread.sleep(OUTAGE_SECONDS * 1000L);
      broker = EmbeddedBroker.start(port, dir);
      try (KafkaProducer<byte[], byte[]> producer =
          KafkaClients.producer(broker.bootstrapServers(), Map.of())) {
        for (var record : records.subList(1500, records.size())) {
          producer.send(record);
        }
        producer.flush();
      }
      var predicted =
          ItSupport.readPredictions(
              broker.bootstrapServers(),
              prefix + ".predictions",
              records.size(),
              Duration.ofSeconds(180));
      assertEquals(new java.util.HashSet<>(ids), predicted);
      for (String model : specs.keySet()) {
        assertEquals(
            offline.get(model).modelFile(),
            ItSupport.awaitModel(
                service.httpPort(),
                model,
                offline.get(model).stats().samples(),
                Duration.ofSeconds(120)),
            model + " after a " + OUTAGE_SECONDS + " s outage");
      }
    } finally {
      broker.close();
    }
  }
}
