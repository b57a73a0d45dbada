package io.streamgrad.it;

import io.streamgrad.bench.BenchCommand;
import io.streamgrad.service.LocalResources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * Three Apache Kafka nodes (KRaft, each broker and controller) on loopback, each in its own child
 * JVM of the built jar ({@code kafka.Kafka}), so that a test can SIGKILL one as a machine dies: the
 * layout a replicated deployment has, with every topic's replication factor 3 and {@code
 * min.insync.replicas=2} by default, the internal ones (offsets, transactions) included.
 *
 * <p>Each node has a PLAINTEXT listener {@code INTERNAL} (between brokers, and for the tests' own
 * clients) and may get a second one for clients ({@link #withClientListener}).
 */
final class BrokerCluster implements AutoCloseable {
  static final int SIZE = 3;

  private final Path dir;
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, String> extra = new LinkedHashMap<>();

  /** Client listeners beside INTERNAL: name to security protocol. */
  private final Map<String, String> clientListeners = new LinkedHashMap<>();

  private static final class Node {
    final int id;
    final int port;
    final Map<String, Integer> clientPorts = new LinkedHashMap<>();
    final int controllerPort;
    final Path config;
    final Path log;
    Process process;

    Node(int id, Path dir) {
      this.id = id;
      this.port = LocalResources.freePort();
      this.controllerPort = LocalResources.freePort();
      this.config = dir.resolve("node-" + id + ".properties");
      this.log = dir.resolve("node-" + id + ".log");
    }
  }

  BrokerCluster(Path dir) {
    this.dir = dir;
    for (int id = 1; id <= SIZE; id++) {
      nodes.add(new Node(id, dir));
    }
  }

  /**
   * Another listener for clients, e.g. {@code ("SASL_SSL", "SASL_SSL")}: the name and its security
   * protocol; its settings come through {@link #with}, as the broker reads them ({@code
   * listener.name.sasl_ssl.…}).
   */
  BrokerCluster withClientListener(String name, String protocol) {
    clientListeners.put(name, protocol);
    for (Node node : nodes) {
      node.clientPorts.put(name, LocalResources.freePort());
    }
    return this;
  }

  /** A broker setting on every node, beside (or instead of) the ones this class chooses. */
  BrokerCluster with(String key, String value) {
    extra.put(key, value);
    return this;
  }

  /** Formats the three nodes' storage (in this JVM) and starts them; returns once all three run. */
  BrokerCluster start(Duration timeout) throws Exception {
    Files.createDirectories(dir);
    String clusterId = Uuid.randomUuid().toString();
    for (Node node : nodes) {
      writeConfig(node);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      List<String> args =
          new ArrayList<>(
              List.of("format", "--cluster-id", clusterId, "--config", node.config.toString()));
      int code =
          StorageTool.execute(args.toArray(String[]::new), new PrintStream(out, true, "UTF-8"));
      if (code != 0) {
        throw new IllegalStateException("formatting node " + node.id + " failed: " + out);
      }
    }
    for (Node node : nodes) {
      launch(node);
    }
    awaitNodes(SIZE, timeout);
    return this;
  }

  private void writeConfig(Node node) throws IOException {
    StringJoiner voters = new StringJoiner(",");
    for (Node n : nodes) {
      voters.add(n.id + "@127.0.0.1:" + n.controllerPort);
    }
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(node.id));
    props.put("controller.quorum.voters", voters.toString());
    String listeners =
        "INTERNAL://127.0.0.1:" + node.port + ",CONTROLLER://127.0.0.1:" + node.controllerPort;
    String advertised = "INTERNAL://127.0.0.1:" + node.port;
    String protocols = "INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT";
    for (var listener : clientListeners.entrySet()) {
      String address =
          listener.getKey() + "://127.0.0.1:" + node.clientPorts.get(listener.getKey());
      listeners += "," + address;
      advertised += "," + address;
      protocols += "," + listener.getKey() + ":" + listener.getValue();
    }
    props.put("listeners", listeners);
    props.put("advertised.listeners", advertised);
    props.put("listener.security.protocol.map", protocols);
    props.put("inter.broker.listener.name", "INTERNAL");
    props.put("controller.listener.names", "CONTROLLER");
    props.put("log.dirs", dir.resolve("data-" + node.id).toString());
    // What a production cluster of three has: every partition on all three nodes, writes
    // acknowledged by two, so one node can die without losing a write or stopping one.
    props.put("default.replication.factor", "3");
    props.put("min.insync.replicas", "2");
    props.put("offsets.topic.replication.factor", "3");
    props.put("transaction.state.log.replication.factor", "3");
    props.put("transaction.state.log.min.isr", "2");
    props.put("share.coordinator.state.topic.replication.factor", "3");
    props.put("share.coordinator.state.topic.min.isr", "2");
    // Three partitions each instead of 50: a quicker start, and still coordinators on every node.
    props.put("offsets.topic.num.partitions", "3");
    props.put("transaction.state.log.num.partitions", "3");
    props.put("num.partitions", "1");
    props.put("auto.create.topics.enable", "false");
    props.put("group.initial.rebalance.delay.ms", "0");
    // A killed node is fenced, and its partitions led by another, after 4 s rather than 9.
    props.put("broker.session.timeout.ms", "4000");
    props.put("broker.heartbeat.interval.ms", "1000");
    // A killed producer's transaction is aborted within a second of its timeout, not ten.
    props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    // Three brokers on two cores: fewer threads each than Kafka's defaults for a server.
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.put("num.replica.fetchers", "1");
    props.put("log.cleaner.threads", "1");
    props.putAll(extra);
    try (Writer out = Files.newBufferedWriter(node.config)) {
      props.store(out, "streamgrad test cluster node " + node.id);
    }
  }

  private void launch(Node node) throws IOException {
    List<String> command =
        List.of(
            BenchCommand.javaExecutable(),
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-cp",
            JarRun.builtJar().toString(),
            "kafka.Kafka",
            node.config.toString());
    Files.writeString(
        node.log,
        "=== start ===\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    node.process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(node.log.toFile()))
            .start();
  }

  /** The INTERNAL (PLAINTEXT) listeners of the nodes that run. */
  String bootstrapServers() {
    StringJoiner servers = new StringJoiner(",");
    nodes.forEach(n -> servers.add("127.0.0.1:" + n.port));
    return servers.toString();
  }

  /** The addresses of one of the client listeners ({@link #withClientListener}). */
  String bootstrapServers(String listener) {
    StringJoiner servers = new StringJoiner(",");
    nodes.forEach(n -> servers.add("127.0.0.1:" + n.clientPorts.get(listener)));
    return servers.toString();
  }

  Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
  }

  /** SIGKILL of node id (1 to 3): no controlled shutdown, no leadership handed over. */
  void kill(int id) throws InterruptedException {
    Node node = nodes.get(id - 1);
    node.process.destroyForcibly();
    node.process.waitFor();
  }

  /** Starts a killed node again on its own data, and waits until the cluster has three nodes. */
  void restart(int id, Duration timeout) throws Exception {
    launch(nodes.get(id - 1));
    awaitNodes(SIZE, timeout);
  }

  /** Waits until every partition of the topics has all three replicas in sync again. */
  void awaitFullIsr(List<String> topics, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String short_ = "";
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        short_ = "";
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
          for (TopicPartitionInfo partition : topic.partitions()) {
            if (partition.isr().size() < SIZE || partition.leader() == null) {
              short_ = topic.name() + "-" + partition.partition() + " isr " + partition.isr();
            }
          }
        }
        if (short_.isEmpty()) {
          return;
        }
        Thread.sleep(250);
      }
    }
    throw new AssertionError("replicas did not catch up within " + timeout + ": " + short_);
  }

  private void awaitNodes(int count, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        for (Node node : nodes) {
          if (node.process != null && !node.process.isAlive() && node.process.exitValue() != 137) {
            throw new AssertionError(
                "node "
                    + node.id
                    + " exited with "
                    + node.process.exitValue()
                    + "; see "
                    + node.log);
          }
        }
        try {
          if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == count) {
            return;
          }
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException notYet) {
          // still electing a controller
        }
        Thread.sleep(250);
      }
    }
    throw new AssertionError("the cluster did not have " + count + " nodes within " + timeout);
  }

  @Override
  public void close() throws InterruptedException {
    for (Node node : nodes) {
      if (node.process != null) {
        node.process.destroyForcibly();
        node.process.waitFor();
      }
    }
    // The logs stay for a failed test to be read; the data goes.
    for (Node node : nodes) {
      LocalResources.deleteRecursively(dir.resolve("data-" + node.id));
    }
  }
}
