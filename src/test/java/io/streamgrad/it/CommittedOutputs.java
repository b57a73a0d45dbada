package io.streamgrad.it;

import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.Prediction;
import io.streamgrad.records.AvroCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a {@code read_committed} consumer sees of the predictions and loss topics, read on from
 * where it stopped, so that a test that checks after each of several faults reads each record once.
 * Records a sample id predicted twice and a loss report that counts backwards.
 */
final class CommittedOutputs implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String predictionsTopic;
  private final AvroCodec<Prediction> predictions = new AvroCodec<>(Prediction.getClassSchema());
  private final AvroCodec<LossReport> losses = new AvroCodec<>(LossReport.getClassSchema());
  private final Set<String> predicted = new HashSet<>();
  private final Map<String, Long> lastLoss = new HashMap<>();
  private final List<String> problems = new ArrayList<>();

  CommittedOutputs(String bootstrapServers, String predictionsTopic, String lossTopic, int parts) {
    this.predictionsTopic = predictionsTopic;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      partitions.add(new TopicPartition(predictionsTopic, p));
      partitions.add(new TopicPartition(lossTopic, p));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /**
   * Reads until every id has a prediction and each model's last loss report counts its samples
   * (then two seconds more, where a duplicate would show), at most timeout.
   */
  void await(Collection<String> ids, Map<String, Long> perModel, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while ((predicted.size() < ids.size() || !lastLoss.equals(perModel))
        && System.nanoTime() < deadline) {
      poll(Duration.ofMillis(200));
    }
    poll(Duration.ofSeconds(2));
  }

  private void poll(Duration wait) {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
      if (record.topic().equals(predictionsTopic)) {
        String id = predictions.decode(record.value()).getSampleId();
        if (!predicted.add(id)) {
          problems.add("sample " + id + " predicted twice (" + record.partition() + ")");
        }
      } else {
        LossReport report = losses.decode(record.value());
        long before = lastLoss.getOrDefault(report.getModel(), 0L);
        if (report.getSamples() < before) {
          problems.add(
              "loss report of "
                  + report.getModel()
                  + " counts back from "
                  + before
                  + " to "
                  + report.getSamples());
        }
        lastLoss.put(report.getModel(), report.getSamples());
      }
    }
  }

  /** Sample ids with one committed prediction each. */
  Set<String> predicted() {
    return predicted;
  }

  /** The samples counted by the last committed loss report of each model. */
  Map<String, Long> lastLossReports() {
    return lastLoss;
  }

  List<String> problems() {
    return problems;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
