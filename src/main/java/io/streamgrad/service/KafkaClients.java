package io.streamgrad.service;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one place that builds Kafka clients, so that every producer, consumer and admin client of the
 * commands, the dashboard and the benchmarks starts from the same defaults. The given settings (the
 * {@code kafka.*} pass-through, then the caller's own) override the defaults; the bootstrap servers
 * always win.
 */
public final class KafkaClients {
  private KafkaClients() {}

  /** Bytes in, bytes out: every record of ours is encoded before it reaches a client. */
  public static KafkaProducer<byte[], byte[]> producer(
      String bootstrapServers, Map<String, ?> settings) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    props.putAll(settings);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * A consumer that sees only committed records: under exactly-once the output topics hold aborted
   * records too, which no reader of ours may count.
   */
  public static KafkaConsumer<byte[], byte[]> readCommittedConsumer(
      String bootstrapServers, Map<String, ?> settings) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.putAll(settings);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** An admin client that gives up on an unreachable cluster in seconds, not minutes. */
  public static Admin admin(String bootstrapServers, Map<String, ?> settings) {
    Map<String, Object> props = new HashMap<>();
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    props.putAll(settings);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return Admin.create(props);
  }
}
