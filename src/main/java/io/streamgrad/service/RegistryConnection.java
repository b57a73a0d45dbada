package io.streamgrad.service;

import io.streamgrad.records.ConfluentWire;
import io.streamgrad.records.RegistryRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
   * it (a fenced producer would cost the thread all its tasks at once).
   */
  static Duration retryBudget(ServiceSettings service) {
    String override =
        service
            .kafkaPassThrough()
            .get(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
    long timeoutMs =
        override != null
            ? Long.parseLong(override.trim())
            : Math.max(10_000, 10 * service.commitIntervalMs());
    return Duration.ofMillis(timeoutMs / 2);
  }
}
