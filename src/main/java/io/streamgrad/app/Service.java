package io.streamgrad.app;

import io.streamgrad.stream.StreamMetrics;
import io.streamgrad.stream.StreamSettings;
import io.streamgrad.stream.StreamgradTopology;
import io.streamgrad.stream.StreamsProperties;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * The learner as a running service: the embedded broker when no servers are configured, the
 * topics, Kafka Streams with the learner topology, and the HTTP API. {@code run} and {@code demo}
 * start one; tests too.
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
  private final HttpApi http;
  private final Path temporaryStateDir;
  private final String bootstrapServers;
  private final StreamSettings settings;
  private final StreamMetrics metrics;

  private final LossFeed feed;

  private Service(EmbeddedBroker broker, KafkaStreams streams, HttpApi http, LossFeed feed, Path temporaryStateDir,
      String bootstrapServers, StreamSettings settings, StreamMetrics metrics) {
    this.feed = feed;
    this.metrics = metrics;
    this.broker = broker;
    this.streams = streams;
    this.http = http;
    this.temporaryStateDir = temporaryStateDir;
    this.bootstrapServers = bootstrapServers;
    this.settings = settings;
  }

  public static Service start(AppConfig config, PrintStream log) throws Exception {
    StreamSettings settings = config.streamSettings();
    String guarantee = config.choice("processing.guarantee", "exactly_once_v2", "at_least_once");
    long commitMs = config.number("commit.interval.ms", 10, 600_000);
    int partitions = (int) config.number("topics.partitions", 1, 10_000);
    short replication = (short) config.number("topics.replication.factor", 1, 32);
    int standbys = (int) config.number("num.standby.replicas", 0, 10);
    int threads = (int) config.number("num.stream.threads", 1, 64);
    boolean createTopics = config.flag("topics.create");
    String httpHost = config.string("http.host");
    int httpPort = (int) config.number("http.port", 0, 65_535);
    String applicationId = config.string("application.id");
    if (applicationId.isEmpty()) {
      throw new AppConfig.InvalidSetting("setting application.id must not be empty");
    }
    log.print("effective configuration:\n" + config.describe());

    EmbeddedBroker broker = null;
    String bootstrap = config.bootstrapServers();
    if (bootstrap.isEmpty()) {
      broker = EmbeddedBroker.start();
      bootstrap = broker.bootstrapServers();
      log.println("no bootstrap.servers configured: started an embedded Apache Kafka broker at " + bootstrap
          + " (its data is deleted at exit)");
    }
    try {
      Map<String, String> passThrough = config.kafkaPassThrough();
      checkReachable(bootstrap, passThrough, createTopics ? settings : null, partitions, replication, log);
      Path stateDir = null;
      String configuredStateDir = config.string("state.dir");
      if (configuredStateDir.isEmpty()) {
        stateDir = Files.createTempDirectory("streamgrad-state-");
      }
      if (httpPort == 0) {
        httpPort = EmbeddedBroker.freePort();
      }
      Properties props = StreamsProperties.of(applicationId, bootstrap, guarantee, commitMs, settings);
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir != null ? stateDir.toString() : configuredStateDir);
      props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbys);
      props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
      props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, httpHost + ":" + httpPort);
      props.putAll(passThrough);
      StreamMetrics metrics = new StreamMetrics();
      KafkaStreams streams = new KafkaStreams(StreamgradTopology.build(settings, metrics, props), props);
      // An unexpected error kills a stream thread: replace it. Under exactly-once its open
      // transaction is aborted and the new thread restores the models from the changelog.
      streams.setUncaughtExceptionHandler(e -> {
        log.println("stream thread failed, replacing it: " + e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
      });
      HttpApi http;
      LossFeed feed = new LossFeed(bootstrap, settings.lossTopic(), passThrough);
      try {
        http = HttpApi.start(httpHost, httpPort, streams, new Dashboard(feed, metrics),
            new MetricsEndpoint(feed, metrics, streams));
      } catch (BindException e) {
        feed.close();
        throw new AppConfig.InvalidSetting("http.port " + httpPort + " on " + httpHost
            + " is in use: choose another with --http-port or http.port");
      }
      streams.start();
      log.println("streamgrad is running: HTTP on http://" + httpHost + ":" + http.port()
          + " (GET /health, /models, /models/{id}); samples from " + settings.samplesTopic());
      return new Service(broker, streams, http, feed, stateDir, bootstrap, settings, metrics);
    } catch (Exception | Error e) {
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
  }

  private static void checkReachable(String bootstrap, Map<String, String> passThrough, StreamSettings settings,
      int partitions, short replication, PrintStream log) throws Exception {
    Properties adminProps = new Properties();
    adminProps.putAll(passThrough);
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    try (Admin admin = Admin.create(adminProps)) {
      try {
        admin.describeCluster().nodes().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new BrokerUnreachable("cannot reach a Kafka broker at " + bootstrap
            + ": check bootstrap.servers (--bootstrap-servers) and that the broker is up", e);
      }
      if (settings != null) {
        List<String> created = TopicCreator.createMissing(admin, settings, partitions, replication);
        if (!created.isEmpty()) {
          log.println("created topics " + created);
        }
      }
    }
  }

  public StreamMetrics metrics() {
    return metrics;
  }

  public KafkaStreams streams() {
    return streams;
  }

  public int httpPort() {
    return http.port();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public StreamSettings settings() {
    return settings;
  }

  /** Waits until Kafka Streams runs, or fails after the timeout. */
  public void awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Kafka Streams did not start in " + timeout + " (state " + streams.state() + ")");
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    http.close();
    feed.close();
    // Leave the group at once, so that a successor instance gets the models without waiting for
    // this member's session to time out.
    streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(30)));
    if (temporaryStateDir != null) {
      EmbeddedBroker.deleteRecursively(temporaryStateDir);
    }
    if (broker != null) {
      broker.close();
    }
  }

}
