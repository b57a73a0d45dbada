package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.Promtool;
import io.streamgrad.http.Instance;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.KafkaClients;
import io.streamgrad.service.LocalResources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one application: every instance follows the whole loss topic, but each model's
 * series must come from one instance only, so that a sum over instances counts it once.
 */
class MetricsOwnershipIT {
  private static final List<String> MODELS = List.of("m0", "m1", "m2", "m3", "m4", "m5");
  private static final int SAMPLES = 20;

  @TempDir Path dir;

  @Test
  void shouldExportEachModelFromExactlyOneInstance() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start();
        Instance a = start(broker, "a");
        Instance b = start(broker, "b")) {
      a.awaitRunning(Duration.ofSeconds(60));
      b.awaitRunning(Duration.ofSeconds(60));
      try (KafkaProducer<byte[], byte[]> producer =
          KafkaClients.producer(broker.bootstrapServers(), Map.of())) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (String model : MODELS) {
          sent.add(
              producer.send(
                  new ProducerRecord<>(
                      "streamgrad.models",
                      bytes(model),
                      bytes(
                          "{\"model\": \""
                              + model
                              + "\", \"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"sigmoid\"}],"
                              + " \"loss\": \"bce\"}"))));
        }
        producer.flush();
        Thread.sleep(300);
        for (String model : MODELS) {
          for (int i = 0; i < SAMPLES; i++) {
            sent.add(
                producer.send(
                    new ProducerRecord<>(
                        "streamgrad.samples",
                        bytes(model),
                        bytes(
                            "{\"id\": \"s"
                                + i
                                + "\", \"features\": [0.1, 0.2], \"label\": "
                                + i % 2
                                + "}"))));
          }
        }
        producer.flush();
        for (Future<RecordMetadata> record : sent) {
          record.get(); // every record delivered, or the test stops here with the cause
        }
      }
      Map<String, Integer> exporters = Map.of();
      Map<String, Double> sums = Map.of();
      String textA = "";
      String textB = "";
      long deadline = System.currentTimeMillis() + 90_000;
      while (System.currentTimeMillis() < deadline) {
        textA = ItSupport.get(a.httpPort(), "/metrics").body();
        textB = ItSupport.get(b.httpPort(), "/metrics").body();
        exporters = new TreeMap<>();
        sums = new TreeMap<>();
        for (String text : List.of(textA, textB)) {
          for (var entry : DashboardIT.parse(text).entrySet()) {
            for (String model : MODELS) {
              if (entry
                  .getKey()
                  .equals("streamgrad_model_samples_total{model=\"" + model + "\"}")) {
                exporters.merge(model, 1, Integer::sum);
                sums.merge(model, entry.getValue(), Double::sum);
              }
            }
          }
        }
        if (exporters.size() == MODELS.size()
            && exporters.values().stream().allMatch(n -> n == 1)
            && sums.values().stream().allMatch(s -> s == SAMPLES)) {
          break;
        }
        Thread.sleep(300);
      }
      Map<String, Integer> once = new TreeMap<>();
      Map<String, Double> all = new TreeMap<>();
      MODELS.forEach(
          m -> {
            once.put(m, 1);
            all.put(m, (double) SAMPLES);
          });
      assertEquals(once, exporters, "instances exporting each model\n" + textA + "\n" + textB);
      assertEquals(all, sums, "samples of each model, summed over instances");
      // Both instances own a partition, so the split is real, not one instance owning everything.
      assertTrue(textA.contains("streamgrad_model_samples_total{"), textA);
      assertTrue(textB.contains("streamgrad_model_samples_total{"), textB);
      Promtool.assertClean(textA);
      Promtool.assertClean(textB);
    }
  }

  private Instance start(EmbeddedBroker broker, String name) throws Exception {
    Configuration config =
        Configuration.defaultsOnly()
            .with("bootstrap.servers", broker.bootstrapServers())
            .with("http.port", String.valueOf(LocalResources.freePort()))
            .with("state.dir", dir.resolve(name).toString())
            .with("topics.partitions", "2")
            .with("commit.interval.ms", "100")
            .with("loss.every.samples", "5")
            .with("loss.every.ms", "200");
    return Instance.start(
        config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
