package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.Sample;
import io.streamgrad.records.AvroCodec;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.service.KafkaClients;
import java.io.IOException;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the integration tests share: reading models over HTTP and predictions from a topic. */
final class ItSupport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ItSupport() {}

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET /models/{model} once GET /models says it has seen this many samples (as of a commit). */
  static String awaitModel(int port, String model, long samples, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String seen = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> list = get(port, "/models");
        if (list.statusCode() == 200) {
          seen = list.body();
          for (JsonNode node : JSON.readTree(seen)) {
            if (node.get("model").asText().equals(model)
                && node.get("samples").asLong() == samples) {
              return get(port, "/models/" + model).body();
            }
          }
        }
      } catch (IOException retry) {
        // not answering yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "model " + model + " never reached " + samples + " samples; last /models: " + seen);
  }

  /**
   * Every prediction on topic (read_committed), failing on a sample id seen twice or a count short
   * of expected.
   */
  static Set<String> readPredictions(
      String bootstrapServers, String topic, int expected, Duration timeout) {
    AvroCodec<Prediction> codec = new AvroCodec<>(Prediction.getClassSchema());
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Set<String> ids = new HashSet<>();
    int count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
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

  /**
   * Publishes CrashIT's specs on {@code prefix.models}, then {@code perModel} labelled samples of
   * each on {@code prefix.samples}: models spread over the partitions, for tests of which instance
   * owns what.
   */
  static void publishCrashSpecsWithSamples(String bootstrapServers, String prefix, int perModel)
      throws Exception {
    SampleDecoder codec = new SampleDecoder();
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(bootstrapServers, Map.of())) {
      for (var spec : CrashIT.SPECS.entrySet()) {
        producer.send(
            new ProducerRecord<>(prefix + ".models", utf8(spec.getKey()), utf8(spec.getValue())));
      }
      producer.flush();
      for (var model : CrashIT.SPECS.keySet()) {
        for (int i = 0; i < perModel; i++) {
          Sample sample =
              new Sample(model + i, new double[] {i, -i, 0.5, 1}, new double[] {i % 3}, 0);
          producer.send(
              new ProducerRecord<>(prefix + ".samples", utf8(model), codec.encodeAvro(sample)));
        }
      }
      producer.flush();
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
