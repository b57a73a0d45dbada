package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamgrad.service.KafkaClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streamgrad as it runs when it has outgrown one machine: a three-node Kafka cluster (replication
 * factor 3, {@code min.insync.replicas=2}), three instances of the real jar with one {@code
 * application.id}, twelve partitions, 36 models of mixed sizes and optimizers, one standby replica.
 * One cluster walks through the faults in sequence while samples flow (one cluster for all of them:
 * starting one takes longer than most faults): SIGKILL of an instance, an instance added, SIGKILL
 * of the broker leading a changelog partition and of the transaction coordinator, a rolling restart
 * of every instance, an instance removed. After each: one committed prediction per sample, every
 * model bit-identical to replay, every model's last loss report counting its samples; throughout,
 * every running instance answers {@code GET /models} and {@code GET /models/{id}} with the model or
 * a 503 that says why.
 */
class ClusterIT {
  private static final Path DIR = Path.of("target", "cluster-it");
  private static final String APP = "cluster";
  private static final int PARTITIONS = 12;
  private static final int RATE = 150;
  private static final Duration CATCH_UP = Duration.ofSeconds(120);

  private static BrokerCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new BrokerCluster(DIR.resolve("brokers")).start(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>();
    settings.put("topics.partitions", String.valueOf(PARTITIONS));
    settings.put("topics.replication.factor", "3");
    settings.put("num.standby.replicas", "1");
    settings.put("commit.interval.ms", "500");
    settings.put("loss.every.samples", "200");
    settings.put("loss.every.ms", "500");
    // A killed instance never leaves the group: its models move after the session times out.
    settings.put("kafka.session.timeout.ms", "6000");
    settings.put("kafka.heartbeat.interval.ms", "1000");
    for (String topic : List.of("samples", "models", "predictions", "loss", "dead-letters")) {
      settings.put("topic." + topic, APP + "." + topic);
    }
    return settings;
  }

  /** The instances, the producer and the checks of one walk through the faults. */
  private static final class Walk {
    final ClusterWorkload work = new ClusterWorkload(APP + ".samples", PARTITIONS, 3);
    final List<ChildService> instances = new ArrayList<>();
    final HttpWatch watch = new HttpWatch(List.copyOf(work.specs.keySet()));
    final KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(cluster.bootstrapServers(), Map.of());
    CommittedOutputs outputs;

    ChildService newInstance() throws Exception {
      ChildService instance =
          new ChildService(cluster.bootstrapServers(), APP, settings(), DIR.resolve("logs"));
      instance.start();
      return instance;
    }

    void started(ChildService instance) throws Exception {
      instance.awaitRunning(Duration.ofSeconds(120));
      instances.add(instance);
      watch.add(instance);
    }

    void stopped(ChildService instance) {
      watch.remove(instance);
      instances.remove(instance);
    }

    /** Produces at RATE samples/s from a second before fault runs to a second after it. */
    void whileSamplesFlow(String name, ThrowingRunnable fault) throws Exception {
      long start = System.nanoTime();
      AtomicBoolean producing = new AtomicBoolean(true);
      Thread thread =
          new Thread(
              () -> {
                long sent = 0;
                long begin = System.nanoTime();
                while (producing.get()) {
                  producer.send(work.next());
                  sent++;
                  long wait = begin + sent * 1_000_000_000L / RATE - System.nanoTime();
                  if (wait > 1_000_000) {
                    try {
                      Thread.sleep(wait / 1_000_000);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }
                producer.flush();
              },
              "cluster-producer");
      thread.start();
      Thread.sleep(1000);
      fault.run();
      Thread.sleep(1000);
      producing.set(false);
      thread.join();
      check(name);
      System.out.printf(
          "ClusterIT: %-46s %5.1f s, %d samples so far, %d instances%n",
          name, (System.nanoTime() - start) / 1e9, work.ids.size(), instances.size());
    }

    void check(String after) throws Exception {
      awaitCounts(after);
      int n = 0;
      for (var model : work.specs.keySet()) {
        // Asked of each instance in turn: most answers are forwarded by a non-owner.
        ChildService asked = instances.get(n++ % instances.size());
        assertEquals(
            work.offline.get(model).modelFile(),
            asked.get("/models/" + model).body(),
            model + " is bit-identical to replay after " + after);
      }
      outputs.await(work.ids, work.perModel, Duration.ofSeconds(60));
      assertEquals(List.of(), outputs.problems(), "after " + after);
      assertEquals(
          new HashSet<>(work.ids),
          outputs.predicted(),
          "one committed prediction per sample after " + after);
      assertEquals(
          work.perModel,
          outputs.lastLossReports(),
          "the last loss report of each model counts its samples after " + after);
      assertEquals(List.of(), watch.violations(), "GET /models answers after " + after);
    }

    void awaitCounts(String after) throws Exception {
      awaitCounts(after, work.perModel);
    }

    /** Until GET /models lists every model with the given count of samples (default 0). */
    void awaitCounts(String after, Map<String, Long> counts) throws Exception {
      long deadline = System.nanoTime() + CATCH_UP.toNanos();
      Map<String, JsonNode> seen = Map.of();
      while (System.nanoTime() < deadline) {
        seen = instances.get(0).models();
        boolean done = seen.size() == work.specs.size();
        for (var model : work.specs.keySet()) {
          done &=
              seen.containsKey(model)
                  && seen.get(model).get("samples").asLong() == counts.getOrDefault(model, 0L);
        }
        if (done) {
          return;
        }
        Thread.sleep(250);
      }
      throw new AssertionError(
          "after " + after + " the models did not reach " + counts + ": " + seen);
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void shouldKeepEveryPromiseThroughInstanceAndBrokerFailures() throws Exception {
    Walk walk = new Walk();
    try {
      ChildService first = walk.newInstance();
      first.awaitRunning(Duration.ofSeconds(120));
      walk.instances.add(first); // it creates the topics: the others find them
      assertReplicated();
      publishSpecs(walk.work);
      // Until its spec is applied a model does not exist, and a 404 is the right answer.
      walk.awaitCounts("the specs", Map.of());
      walk.watch.add(first);
      ChildService second = walk.newInstance();
      ChildService third = walk.newInstance();
      walk.started(second);
      walk.started(third);
      walk.outputs =
          new CommittedOutputs(
              cluster.bootstrapServers(), APP + ".predictions", APP + ".loss", PARTITIONS);
      walk.whileSamplesFlow("three instances", () -> {});

      walk.whileSamplesFlow(
          "SIGKILL of one instance",
          () -> {
            Set<String> owned = third.models().keySet();
            walk.stopped(third);
            long killed = System.nanoTime();
            third.kill();
            awaitServedBy(walk.instances.get(0), owned);
            System.out.printf(
                "ClusterIT: the killed instance's models answered by another after %.1f s%n",
                (System.nanoTime() - killed) / 1e9);
          });

      ChildService added = walk.newInstance();
      walk.whileSamplesFlow("one instance added (2 -> 3)", () -> walk.started(added));

      walk.whileSamplesFlow(
          "SIGKILL of the broker leading a changelog partition",
          () -> {
            int leader = changelogLeader();
            cluster.kill(leader);
            // Longer than broker.session.timeout.ms: the controller moves leadership away first.
            Thread.sleep(5000);
            cluster.restart(leader, Duration.ofSeconds(90));
          });
      cluster.awaitFullIsr(List.of(APP + "-models-changelog"), Duration.ofSeconds(90));

      walk.whileSamplesFlow(
          "SIGKILL of the transaction coordinator",
          () -> {
            int coordinator = transactionCoordinator();
            cluster.kill(coordinator);
            Thread.sleep(5000);
            cluster.restart(coordinator, Duration.ofSeconds(90));
          });

      walk.whileSamplesFlow(
          "rolling restart of every instance",
          () -> {
            for (ChildService instance : List.copyOf(walk.instances)) {
              walk.stopped(instance);
              // 143 = 128 + SIGTERM: the JVM's status after its shutdown hook closed the service.
              assertEquals(143, instance.terminate(Duration.ofSeconds(60)), "clean stop");
              instance.start();
              walk.started(instance);
            }
          });

      walk.whileSamplesFlow(
          "one instance removed (3 -> 2)",
          () -> {
            walk.stopped(added);
            assertEquals(143, added.terminate(Duration.ofSeconds(60)), "clean stop");
          });

      assertTrue(walk.watch.answered() > 0, "the watch saw answers");
      System.out.printf(
          "ClusterIT: %d samples, %d models; GET answered %d times with 200, %d times with 503%n",
          walk.work.ids.size(),
          walk.work.specs.size(),
          walk.watch.answered(),
          walk.watch.unavailable());
    } finally {
      walk.watch.close();
      walk.producer.close();
      if (walk.outputs != null) {
        walk.outputs.close();
      }
      for (ChildService instance : new ArrayList<>(walk.instances)) {
        instance.stop();
      }
    }
  }

  /** Every topic the service created, and its changelog, has three replicas and min ISR 2. */
  private static void assertReplicated() throws Exception {
    try (Admin admin = cluster.admin()) {
      List<String> topics = new ArrayList<>();
      for (String topic : List.of("samples", "models", "predictions", "loss", "dead-letters")) {
        topics.add(APP + "." + topic);
      }
      topics.add(APP + "-models-changelog");
      awaitTopics(admin, topics);
      for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
        topic
            .partitions()
            .forEach(p -> assertEquals(3, p.replicas().size(), topic.name() + " replicas"));
        Config config =
            admin
                .describeConfigs(
                    List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic.name())))
                .all()
                .get()
                .values()
                .iterator()
                .next();
        assertEquals("2", config.get("min.insync.replicas").value(), topic.name());
      }
    }
  }

  private static void awaitTopics(Admin admin, List<String> topics) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!admin.listTopics().names().get().containsAll(topics)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("topics missing: " + topics);
      }
      Thread.sleep(250);
    }
  }

  private static void publishSpecs(ClusterWorkload work) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(cluster.bootstrapServers(), Map.of())) {
      for (var spec : work.specs.entrySet()) {
        producer.send(
            new ProducerRecord<>(
                APP + ".models",
                ClusterWorkload.bytes(spec.getKey()),
                ClusterWorkload.bytes(spec.getValue())));
      }
      producer.flush();
    }
  }

  private static int changelogLeader() throws Exception {
    try (Admin admin = cluster.admin()) {
      return admin
          .describeTopics(List.of(APP + "-models-changelog"))
          .allTopicNames()
          .get()
          .get(APP + "-models-changelog")
          .partitions()
          .get(0)
          .leader()
          .id();
    }
  }

  /** The node that coordinates the transactions of one of the instances' producers. */
  private static int transactionCoordinator() throws Exception {
    try (Admin admin = cluster.admin()) {
      List<String> ids = new ArrayList<>();
      for (TransactionListing listing : admin.listTransactions().all().get()) {
        if (listing.transactionalId().startsWith(APP + "-")) {
          ids.add(listing.transactionalId());
        }
      }
      assertTrue(!ids.isEmpty(), "the instances have transactional ids");
      return admin.describeTransactions(ids).all().get().get(ids.get(0)).coordinatorId();
    }
  }

  /** Waits until the instance answers 200 for every one of the models (forwarded or its own). */
  private static void awaitServedBy(ChildService instance, Set<String> models) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Set<String> waiting = new HashSet<>(models);
    while (!waiting.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never answered again: " + waiting);
      }
      for (String model : List.copyOf(waiting)) {
        if (instance.get("/models/" + model).statusCode() == 200) {
          waiting.remove(model);
        }
      }
      Thread.sleep(100);
    }
  }
}
