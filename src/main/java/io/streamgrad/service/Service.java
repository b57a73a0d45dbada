package io.streamgrad.service;

import io.streamgrad.records.ConfluentWire;
import io.streamgrad.stream.StreamMetrics;
import io.streamgrad.stream.StreamgradTopology;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * The learner as a running service: the embedded broker when no servers are configured, the topics,
 * and Kafka Streams with the learner topology. The HTTP API is started beside it by the {@code
 * http} layer, on the port this service advertises to the other instances.
 */
public final class Service implements AutoCloseable {
  /** The brokers did not answer: exit code 3. */
  public static final class BrokerUnreachable extends RuntimeException {
    BrokerUnreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final EmbeddedBroker broker;
  private final KafkaStreams streams;
  private final Path temporaryStateDir;
  private final ServiceSettings settings;
  private final StreamMetrics metrics;
  private final RestoreProgress restores;
  private final CompletableFuture<AccessDenied> denied;
  private final RegistryConnection registry;

  private Service(
      EmbeddedBroker broker,
      KafkaStreams streams,
      Path temporaryStateDir,
      ServiceSettings settings,
      StreamMetrics metrics,
      RestoreProgress restores,
      CompletableFuture<AccessDenied> denied,
      RegistryConnection registry) {
    this.registry = registry;
    this.broker = broker;
    this.denied = denied;
    this.streams = streams;
    this.temporaryStateDir = temporaryStateDir;
    this.settings = settings;
    this.metrics = metrics;
    this.restores = restores;
  }

  /**
   * Starts the service. Its {@link #settings()} are the given ones with the embedded broker's
   * servers and the chosen HTTP port filled in, where those were left open.
   */
  public static Service start(ServiceSettings requested, PrintStream log) throws Exception {
    return start(requested, SchemaRegistrySettings.none(), log);
  }

  /**
   * Starts the service with a schema registry: reached first (exit code 3 when it does not answer),
   * our output schemas registered there when {@code output.format=confluent-avro}.
   */
  public static Service start(
      ServiceSettings requested, SchemaRegistrySettings registrySettings, PrintStream log)
      throws Exception {
    RegistryConnection registry = RegistryConnection.open(requested, registrySettings, log);
    ServiceSettings settings = requested;
    EmbeddedBroker broker = null;
    if (settings.bootstrapServers().isEmpty()) {
      broker = EmbeddedBroker.start();
      settings = settings.withBootstrapServers(broker.bootstrapServers());
      log.println(
          "no bootstrap.servers configured: started an embedded Apache Kafka broker at "
              + broker.bootstrapServers()
              + " (its data is deleted at exit)");
    }
    Path temporaryStateDir = null;
    try {
      checkReachable(settings, log);
      if (settings.stateDir().isEmpty()) {
        temporaryStateDir = Files.createTempDirectory("streamgrad-state-");
        settings = settings.withStateDir(temporaryStateDir.toString());
      }
      if (settings.httpPort() == 0) {
        settings = settings.withHttpPort(LocalResources.freePort());
      }
      Properties props = StreamsProperties.forService(settings, settings.stateDir());
      StreamMetrics metrics = new StreamMetrics();
      KafkaStreams streams =
          new KafkaStreams(
              StreamgradTopology.build(settings.stream(), metrics, props, registry.wire()), props);
      // An unexpected error kills a stream thread: replace it. Under exactly-once its open
      // transaction is aborted and the new thread restores the models from the changelog. A
      // missing ACL is no such error: a new thread would be refused the same way, forever.
      CompletableFuture<AccessDenied> denied = new CompletableFuture<>();
      ServiceSettings checked = settings;
      streams.setUncaughtExceptionHandler(
          e -> {
            var denial = AccessDenied.in(e, checked.applicationId(), checked.stream(), null);
            if (denial.isPresent()) {
              log.println("error: " + denial.get().getMessage());
              denied.complete(denial.get());
              return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            log.println("stream thread failed, replacing it: " + e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
          });
      // Before start: Kafka Streams takes a global restore listener only while it is created.
      RestoreProgress restores = new RestoreProgress(log);
      streams.setGlobalStateRestoreListener(restores);
      streams.start();
      return new Service(
          broker, streams, temporaryStateDir, settings, metrics, restores, denied, registry);
    } catch (Exception | Error e) {
      if (temporaryStateDir != null) {
        LocalResources.deleteRecursively(temporaryStateDir);
      }
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
  }

  /**
   * Fails fast, with exit code 3 in the commands, when the brokers cannot be reached: a host that
   * does not resolve or a cluster that does not answer (KafkaClients decides both, for every
   * command alike).
   */
  private static void checkReachable(ServiceSettings settings, PrintStream log) throws Exception {
    try (Admin admin =
        KafkaClients.admin(settings.bootstrapServers(), settings.kafkaPassThrough())) {
      KafkaClients.awaitCluster(admin, settings.bootstrapServers(), KafkaClients.DEFAULT_TIMEOUT);
      if (settings.createTopics()) {
        List<String> created;
        try {
          created =
              TopicCreator.createMissing(
                  admin, settings.stream(), settings.partitions(), settings.replicationFactor());
        } catch (ExecutionException e) {
          throw AccessDenied.in(e, settings.applicationId(), settings.stream(), "CREATE")
              .orElseThrow(() -> e);
        }
        if (!created.isEmpty()) {
          log.println("created topics " + created);
        }
      }
    }
  }

  /**
   * Completes when Kafka refused an operation for want of an ACL; the service has then stopped
   * learning (Kafka Streams shuts down) and its command should end with exit code 3.
   */
  public CompletableFuture<AccessDenied> denied() {
    return denied;
  }

  /** The schema registry client, when one is configured: its outage and failures, for HTTP. */
  public Optional<SchemaRegistryClient> schemaRegistry() {
    return registry.registry();
  }

  /** How the service reads and writes the Confluent wire format (no registry: none). */
  public ConfluentWire confluentWire() {
    return registry.wire();
  }

  public StreamMetrics metrics() {
    return metrics;
  }

  /** The store partitions being restored from their changelogs now (none once caught up). */
  public List<RestoreProgress.Restoring> restoring() {
    return restores.restoring();
  }

  /** The restores of this instance: now, and counted since it started. */
  public RestoreProgress restores() {
    return restores;
  }

  public KafkaStreams streams() {
    return streams;
  }

  /** The settings in force: servers, HTTP port and state directory resolved. */
  public ServiceSettings settings() {
    return settings;
  }

  public String bootstrapServers() {
    return settings.bootstrapServers();
  }

  /** Waits until Kafka Streams runs, or fails after the timeout. */
  public void awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Kafka Streams did not start in " + timeout + " (state " + streams.state() + ")");
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    // Leave the group at once, so that a successor instance gets the models without waiting for
    // this member's session to time out.
    streams.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
    if (temporaryStateDir != null) {
      LocalResources.deleteRecursively(temporaryStateDir);
    }
    if (broker != null) {
      broker.close();
    }
  }
}
