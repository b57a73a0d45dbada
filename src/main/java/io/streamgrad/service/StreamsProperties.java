package io.streamgrad.service;

import io.streamgrad.stream.StreamSettings;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams settings Streamgrad needs, chosen together: exactly-once v2 by default, a
 * commit interval that is also the checkpoint interval of every model, a transaction timeout well
 * above it, and producer limits that let the largest model through to the changelog.
 */
public final class StreamsProperties {
  private StreamsProperties() {}

  /**
   * Every Kafka Streams property of a running service: the ones {@link #of} chooses, its place in
   * the cluster (standbys, threads, the address other instances forward HTTP requests to, the state
   * directory), then the {@code kafka.*} pass-through, which may override any of them.
   */
  public static Properties forService(ServiceSettings settings, String stateDir) {
    Properties props =
        of(
            settings.applicationId(),
            settings.bootstrapServers(),
            settings.guarantee(),
            settings.commitIntervalMs(),
            settings.stream());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.standbyReplicas());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, settings.applicationServer());
    // The changelogs hold every model: as many copies of them as of the topics the service
    // creates, so that one setting decides what a broker failure can cost.
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.replicationFactor());
    props.putAll(settings.kafkaPassThrough());
    return props;
  }

  public static Properties of(
      String applicationId,
      String bootstrapServers,
      String guarantee,
      long commitIntervalMs,
      StreamSettings settings) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    // Short, as Kafka Streams' own default: a killed instance's open transaction is aborted only
    // when it times out (its successor has another transactional id and does not fence it), and
    // until then read_committed consumers see nothing past it on its partitions, so after a
    // kill -9 (CrashIT) predictions stall for up to the whole timeout.
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
        (int) Math.max(10_000, 10 * commitIntervalMs));
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        settings.maxModelBytes() + 64 * 1024);
    // Predictions are small and many: 256 KB batches instead of 16 KB mean a sixteenth of the
    // produce requests, and the CPU the broker and the producer's network thread would otherwise
    // spend on them goes to the stream thread (BENCHMARKS.md, "Kafka settings that matter"). At
    // low rates linger.ms and the commit decide when a batch leaves, so latency is unchanged.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        settings.maxModelBytes() + 64 * 1024);
    // The operating system sizes the main consumer's socket buffer (TCP autotuning) instead of
    // Kafka's fixed 64 KB: the classic consumer reads the socket only inside poll(), so with 64 KB
    // a fetch of large samples (6 KB each at 784 features) trickles in across many polls and the
    // stream thread waits for it (BENCHMARKS.md, "Kafka settings that matter").
    props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.RECEIVE_BUFFER_CONFIG), -1);
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    // No task idling: a new model's samples wait for its spec in the learner's WaitingRoom instead,
    // and Kafka Streams 4.4 pays a String.format per idle partition per record while it idles.
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
    // Recommended by Kafka 4.x, default in 5.0; we have no global stores, it only silences a
    // warning.
    props.put("processing.exception.handler.global.enabled", "true");
    // Kafka 4.4's partition assignor reads its StreamsConfig from the main consumer's settings,
    // where only consumer keys and main.consumer.* arrive: without this copy it warns at each
    // start.
    props.put(
        StreamsConfig.mainConsumerPrefix("processing.exception.handler.global.enabled"), "true");
    return props;
  }
}
