package io.streamgrad.service;

import io.streamgrad.records.ConfluentWire;
import io.streamgrad.records.RegistryRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The schema registry as a service uses it: reached at start (or the start fails with exit code 3,
 * naming the URL), our output schemas registered when the output format needs them, and the {@link
 * ConfluentWire} the topology reads and writes with. Without a configured registry, none of it.
 *
 * @param client the registry client, or null when no registry is configured
 */
record RegistryConnection(SchemaRegistryClient client, ConfluentWire wire) {

  static RegistryConnection open(
      ServiceSettings service, SchemaRegistrySettings settings, PrintStream log) {
    if (!settings.configured()) {
      return new RegistryConnection(null, ConfluentWire.none());
    }
    SchemaRegistryClient client = new SchemaRegistryClient(settings, retryBudget(service), log);
    client.checkReachable();
    Map<RegistryRecord, Integer> ids =
        settings.registerOutputs()
            ? OutputSchemas.register(client, settings, service.stream(), log)
            : Map.of();
    log.println("schema registry at " + settings.describeUrls() + " answers");
    return new RegistryConnection(client, new ConfluentWire(client, ids, settings.cacheCapacity()));
  }

  Optional<SchemaRegistryClient> registry() {
    return Optional.ofNullable(client);
  }

  /**
   * How long a stream thread waits for the registry before it gives up on the record for now: half
   * the producer's transaction timeout, so that the broker never aborts the open transaction under
   * it (a fenced producer would cost the thread all its tasks at once), and half the consumer's
   * max.poll.interval.ms, so that the group never drops the waiting thread's consumer.
   */
  static Duration retryBudget(ServiceSettings service) {
    Map<String, String> kafka = service.kafkaPassThrough();
    long transactionMs =
        setting(
            kafka,
            Math.max(10_000, 10 * service.commitIntervalMs()),
            StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
    long pollMs =
        setting(
            kafka,
            300_000,
            StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
            StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
            ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
    return Duration.ofMillis(Math.min(transactionMs, pollMs) / 2);
  }

  /** The first of keys that is set, as a number, or the default. */
  private static long setting(Map<String, String> kafka, long defaultValue, String... keys) {
    for (String key : keys) {
      String value = kafka.get(key);
      if (value != null) {
        try {
          return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
          throw new Configuration.InvalidSetting(
              "setting kafka." + key + "=" + value + " is not a whole number of ms");
        }
      }
    }
    return defaultValue;
  }
}
