package io.streamgrad.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one place that builds Kafka clients, so that every producer, consumer and admin client of the
 * commands, the dashboard and the benchmarks starts from the same defaults. The given settings (the
 * {@code kafka.*} pass-through, then the caller's own) override the defaults; the bootstrap servers
 * always win.
 *
 * <p>It is also the one place that decides when brokers count as unreachable: a host name that does
 * not resolve (Kafka refuses to build the client) and a cluster that does not answer within the
 * caller's timeout both become a {@link Service.BrokerUnreachable} naming the servers, which every
 * command turns into exit code 3.
 */
public final class KafkaClients {
  /** How long a command waits for the brokers unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  private KafkaClients() {}

  /** Bytes in, bytes out: every record of ours is encoded before it reaches a client. */
  public static KafkaProducer<byte[], byte[]> producer(
      String bootstrapServers, Map<String, ?> settings) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    props.putAll(settings);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return resolvable(
        bootstrapServers,
        () -> new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()));
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
    return resolvable(
        bootstrapServers,
        () -> new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
  }

  /** An admin client that gives up on an unreachable cluster in seconds, not minutes. */
  public static Admin admin(String bootstrapServers, Map<String, ?> settings) {
    Map<String, Object> props = new HashMap<>();
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    props.putAll(settings);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return resolvable(bootstrapServers, () -> Admin.create(props));
  }

  /**
   * Waits for the cluster to answer. The request itself carries the timeout, so that nothing is
   * left pending when it expires (closing an admin client waits for its pending requests).
   *
   * @throws Service.BrokerUnreachable when no broker answered within the timeout
   */
  public static void awaitCluster(Admin admin, String bootstrapServers, Duration timeout) {
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(millis(timeout)))
          .nodes()
          .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw unreachable(bootstrapServers, timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable(bootstrapServers, timeout, e);
    }
  }

  /**
   * The topics among names that the cluster does not have. Asks for each by name (not for the list
   * of all topics), so that a topic the client may not see shows up as that, not as missing.
   *
   * @throws Service.BrokerUnreachable when the cluster did not answer within the timeout
   */
  public static List<String> missingTopics(
      Admin admin, String bootstrapServers, Collection<String> names, Duration timeout) {
    var futures =
        admin
            .describeTopics(names, new DescribeTopicsOptions().timeoutMs(millis(timeout)))
            .topicNameValues();
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      try {
        futures.get(name).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          missing.add(name);
        } else if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
          throw unreachable(bootstrapServers, timeout, e);
        } else {
          throw new KafkaException(
              "cannot describe topic " + name + ": " + e.getCause().getMessage(), e.getCause());
        }
      } catch (TimeoutException e) {
        throw unreachable(bootstrapServers, timeout, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw unreachable(bootstrapServers, timeout, e);
      }
    }
    return missing;
  }

  private static int millis(Duration timeout) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
  }

  private static Service.BrokerUnreachable unreachable(
      String bootstrapServers, Duration timeout, Exception cause) {
    return new Service.BrokerUnreachable(
        "cannot reach a Kafka broker at "
            + bootstrapServers
            + " (no answer within "
            + describe(timeout)
            + "): check --bootstrap-servers (bootstrap.servers) and that the broker is up",
        cause);
  }

  /** "15 s", "500 ms": how the timeouts read in messages. */
  public static String describe(Duration timeout) {
    long ms = timeout.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  /**
   * Builds a client, turning Kafka's refusal of bootstrap servers whose host names do not resolve
   * (a ConfigException wrapped in "Failed to construct kafka producer" and the like, which names
   * neither the host nor what to do) into an unreachable broker that names them.
   */
  private static <T> T resolvable(String bootstrapServers, Supplier<T> build) {
    try {
      return build.get();
    } catch (KafkaException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ConfigException && String.valueOf(t.getMessage()).contains("resolvable")) {
          throw new Service.BrokerUnreachable(
              "cannot resolve the host of any bootstrap server in "
                  + bootstrapServers
                  + ": check the host names in --bootstrap-servers (bootstrap.servers)",
              e);
        }
      }
      throw e;
    }
  }
}
