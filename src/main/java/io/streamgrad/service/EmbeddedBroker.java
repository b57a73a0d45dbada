package io.streamgrad.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) inside this JVM,
 * for the demo, for {@code run} without bootstrap servers, and for integration tests. Its data
 * lives in a temporary directory that {@link #close()} deletes.
 */
public final class EmbeddedBroker implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final KafkaRaftServer server;

  private EmbeddedBroker(Path dir, int port, KafkaRaftServer server) {
    this.dir = dir;
    this.port = port;
    this.server = server;
  }

  /** Starts a broker on a free loopback port. */
  public static EmbeddedBroker start() {
    return start(LocalResources.freePort(), null);
  }

  /**
   * Starts a broker on the given port, with its data in dir (created when null). Restarting on the
   * same dir and port brings back a stopped broker with its topics.
   */
  public static EmbeddedBroker start(int port, Path existingDir) {
    try {
      Path dir =
          existingDir != null ? existingDir : Files.createTempDirectory("streamgrad-broker-");
      Path config = dir.resolve("server.properties");
      if (Files.exists(config)) {
        // A restart: the same ports and files (the controller's address is part of its quorum).
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(config)) {
          props.load(in);
        }
        KafkaRaftServer server =
            new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        return new EmbeddedBroker(dir, port, server);
      }
      int controllerPort = LocalResources.freePort();
      Properties props = new Properties();
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
      props.put(
          "listeners",
          "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
      props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
      props.put("controller.listener.names", "CONTROLLER");
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      props.put("log.dirs", dir.resolve("data").toString());
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "1");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("transaction.state.log.num.partitions", "1");
      // A crashed producer's transaction is aborted within a second of its timeout, not ten.
      props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
      props.put("share.coordinator.state.topic.replication.factor", "1");
      props.put("share.coordinator.state.topic.min.isr", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
      props.put("num.partitions", "1");
      props.put("auto.create.topics.enable", "false");
      boolean fresh = !Files.exists(dir.resolve("data"));
      try (var out = Files.newBufferedWriter(config)) {
        props.store(out, "streamgrad embedded broker");
      }
      if (fresh) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int code =
            StorageTool.execute(
                new String[] {
                  "format",
                  "--cluster-id",
                  Uuid.randomUuid().toString(),
                  "--config",
                  config.toString(),
                  "--standalone"
                },
                new PrintStream(log, true, StandardCharsets.UTF_8));
        if (code != 0) {
          throw new IllegalStateException("formatting the broker's storage failed: " + log);
        }
      }
      KafkaRaftServer server =
          new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
      return new EmbeddedBroker(dir, port, server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the embedded broker's directory", e);
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path directory() {
    return dir;
  }

  /** Stops the broker and keeps its data, so that {@link #start(int, Path)} can bring it back. */
  public void stop() {
    server.shutdown();
    server.awaitShutdown();
  }

  /** Stops the broker and deletes its data. */
  @Override
  public void close() {
    stop();
    LocalResources.deleteRecursively(dir);
  }
}
