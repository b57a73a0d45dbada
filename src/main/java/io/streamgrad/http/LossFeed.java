package io.streamgrad.http;

import io.streamgrad.avro.LossReport;
import io.streamgrad.records.ConfluentWire;
import io.streamgrad.records.OutputDecoder;
import io.streamgrad.records.OutputEncoder;
import io.streamgrad.service.KafkaClients;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows the loss topic (read_committed, from its start) for the dashboard and /metrics: the
 * latest report of every model, a bounded history per model, and listeners for live updates. Reads
 * with assigned partitions, not a consumer group, so it never takes part in a rebalance.
 */
final class LossFeed implements AutoCloseable {
  static final int HISTORY = 400;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final OutputDecoder decoder = new OutputDecoder();
  private final Map<String, LossReport> latest = new ConcurrentHashMap<>();
  private final Map<String, Deque<String>> history = new ConcurrentHashMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  LossFeed(String bootstrapServers, String topic, Map<String, String> passThrough) {
    this(bootstrapServers, topic, passThrough, ConfluentWire.none());
  }

  /** A feed that reads loss reports in the Confluent wire format too, with wire's registry. */
  LossFeed(
      String bootstrapServers, String topic, Map<String, String> passThrough, ConfluentWire wire) {
    decoder.readingRegistry(wire);
    this.consumer = KafkaClients.readCommittedConsumer(bootstrapServers, passThrough);
    this.topic = topic;
    this.thread = new Thread(this::run, "streamgrad-loss-feed");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      while (running && partitions.isEmpty()) {
        consumer
            .partitionsFor(topic)
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        if (partitions.isEmpty()) {
          Thread.sleep(500);
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          accept(record.value());
        }
      }
    } catch (WakeupException | InterruptedException stopping) {
      // closing
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  private void accept(byte[] value) {
    LossReport report;
    try {
      report = decoder.lossReport(value);
    } catch (RuntimeException unreadable) {
      return;
    }
    latest.put(report.getModel(), report);
    String json = new String(OutputEncoder.json(report), java.nio.charset.StandardCharsets.UTF_8);
    Deque<String> points = history.computeIfAbsent(report.getModel(), m -> new ArrayDeque<>());
    synchronized (points) {
      points.addLast(json);
      while (points.size() > HISTORY) {
        points.removeFirst();
      }
    }
    listeners.forEach(listener -> listener.accept(json));
  }

  /** The latest report of every model seen on the loss topic. */
  Map<String, LossReport> latest() {
    return Map.copyOf(latest);
  }

  /** Every kept report, oldest first, as JSON. */
  List<String> history() {
    List<String> all = new ArrayList<>();
    history
        .values()
        .forEach(
            points -> {
              synchronized (points) {
                all.addAll(points);
              }
            });
    return all;
  }

  void subscribe(Consumer<String> listener) {
    listeners.add(listener);
  }

  void unsubscribe(Consumer<String> listener) {
    listeners.remove(listener);
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
