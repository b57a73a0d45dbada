package io.streamgrad.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamgrad.avro.Prediction;
import io.streamgrad.records.AvroCodec;
import io.streamgrad.service.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test (it asserts nothing about time): on the three-node cluster of {@link
 * ClusterIT}, the throughput of one, two and three instances on the same backlog (also per
 * CPU-second of the instance processes), and the failover after a SIGKILL with and without a
 * standby replica: until the killed instance's models answer again from the survivor, and until a
 * {@code read_committed} reader sees the first prediction made after the kill for one of them. Its
 * name ends in neither Test nor IT, so only this command runs it:
 *
 * <pre>
 * mvn -B -o verify -Dit.test=ClusterMeasurement -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class ClusterMeasurement {
  private static final Path DIR = Path.of("target", "cluster-measurement");
  private static final int PARTITIONS = 12;
  private static final int BACKLOG = 30_000;

  private final List<String> lines = new ArrayList<>();

  /** Printed at once, so that a later step that fails does not take the figures with it. */
  private void report(String line) {
    System.out.println(line);
    lines.add(line);
  }

  @Test
  void measureThroughputAndFailover() throws Exception {
    try (BrokerCluster cluster =
        new BrokerCluster(DIR.resolve("brokers")).start(Duration.ofSeconds(120))) {
      for (int instances = 1; instances <= 3; instances++) {
        throughput(cluster, instances);
      }
      coldRestore(cluster, "throughput-3");
      failover(cluster, 1);
      failover(cluster, 0);
    }
    System.out.println("--- all figures");
    lines.forEach(System.out::println);
  }

  private static Map<String, String> settings(String app, int standbys) {
    Map<String, String> settings = new HashMap<>();
    settings.put("topics.partitions", String.valueOf(PARTITIONS));
    settings.put("topics.replication.factor", "3");
    settings.put("num.standby.replicas", String.valueOf(standbys));
    settings.put("kafka.session.timeout.ms", "6000");
    settings.put("kafka.heartbeat.interval.ms", "1000");
    for (String topic : List.of("samples", "models", "predictions", "loss", "dead-letters")) {
      settings.put("topic." + topic, app + "." + topic);
    }
    return settings;
  }

  private List<ChildService> start(BrokerCluster cluster, String app, int count, int standbys)
      throws Exception {
    List<ChildService> instances = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ChildService instance =
          new ChildService(
              cluster.bootstrapServers(), app, settings(app, standbys), DIR.resolve("logs"));
      instance.start();
      instances.add(instance);
      if (i == 0) {
        instance.awaitRunning(Duration.ofSeconds(180)); // it creates the topics
      }
    }
    for (ChildService instance : instances) {
      instance.awaitRunning(Duration.ofSeconds(180));
    }
    return instances;
  }

  private static void publish(BrokerCluster cluster, ClusterWorkload work, String app, int samples)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(cluster.bootstrapServers(), Map.of())) {
      for (var spec : work.specs.entrySet()) {
        producer.send(
            new ProducerRecord<>(
                app + ".models",
                ClusterWorkload.bytes(spec.getKey()),
                ClusterWorkload.bytes(spec.getValue())));
      }
      for (int i = 0; i < samples; i++) {
        producer.send(work.next());
      }
    }
  }

  /** The instances learn a backlog that waits for them: samples/s from all running to all done. */
  private void throughput(BrokerCluster cluster, int count) throws Exception {
    String app = "throughput-" + count;
    List<ChildService> instances = start(cluster, app, count, 0);
    try {
      ClusterWorkload work = new ClusterWorkload(app + ".samples", PARTITIONS, 3);
      Duration cpuBefore = cpu(instances);
      long start = System.nanoTime();
      publish(cluster, work, app, BACKLOG);
      awaitCounts(instances.get(0), work, Duration.ofMinutes(10));
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (cpu(instances).toMillis() - cpuBefore.toMillis()) / 1e3;
      report(
          String.format(
              "throughput, %d instance(s): %d samples in %.1f s = %.0f samples/s; %.1f CPU-s in"
                  + " the instances = %.0f samples per CPU-second",
              count, BACKLOG, seconds, BACKLOG / seconds, cpuSeconds, BACKLOG / cpuSeconds));
    } finally {
      for (ChildService instance : instances) {
        instance.stop();
      }
    }
  }

  /**
   * A new instance, alone, with an empty state directory, on an application whose changelog holds
   * the models: from its start to ready (every store restored), and the changelog's records and
   * bytes over that time.
   */
  private void coldRestore(BrokerCluster cluster, String app) throws Exception {
    String changelog = app + "-models-changelog";
    long records = 0;
    long bytes = 0;
    try (var admin = cluster.admin()) {
      Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        latest.put(
            new TopicPartition(changelog, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
      }
      for (var offset : admin.listOffsets(latest).all().get().values()) {
        records += offset.offset(); // transaction markers included: what the restore reads
      }
      var dirs = admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1);
      for (var dir : dirs.values()) {
        for (var replica : dir.replicaInfos().entrySet()) {
          if (replica.getKey().topic().equals(changelog)) {
            bytes += replica.getValue().size();
          }
        }
      }
    }
    ChildService instance =
        new ChildService(cluster.bootstrapServers(), app, settings(app, 0), DIR.resolve("logs"));
    long start = System.nanoTime();
    instance.start();
    try {
      while (true) {
        try {
          if (instance.get("/health/ready").statusCode() == 200) {
            break;
          }
        } catch (java.io.IOException notYet) {
          // not listening yet
        }
        if (System.nanoTime() - start > Duration.ofMinutes(5).toNanos()) {
          throw new AssertionError("not ready within 5 minutes; see " + instance.log());
        }
        Thread.sleep(50);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      report(
          String.format(
              "cold restore: %d changelog records (offsets), %.1f MB, start to ready %.1f s"
                  + " (JVM start and group join included) = %.0f records/s, %.1f MB/s",
              records, bytes / 1e6, seconds, records / seconds, bytes / 1e6 / seconds));
    } finally {
      instance.stop();
    }
  }

  private static Duration cpu(List<ChildService> instances) {
    Duration total = Duration.ZERO;
    for (ChildService instance : instances) {
      total = total.plus(instance.cpu());
    }
    return total;
  }

  /**
   * Two instances, samples flowing at 200/s; SIGKILL of one: how long until the survivor answers
   * for each of its models, and until the first prediction made after the kill for one of them is
   * visible to read_committed readers.
   */
  private void failover(BrokerCluster cluster, int standbys) throws Exception {
    String app = "failover-" + standbys;
    List<ChildService> instances = start(cluster, app, 2, standbys);
    ClusterWorkload work = new ClusterWorkload(app + ".samples", PARTITIONS, 3);
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicLong produced = new AtomicLong();
    publish(cluster, work, app, 0);
    Thread producer =
        new Thread(
            () -> {
              try (KafkaProducer<byte[], byte[]> kafka =
                  KafkaClients.producer(cluster.bootstrapServers(), Map.of())) {
                while (producing.get()) {
                  kafka.send(work.next());
                  produced.incrementAndGet();
                  Thread.sleep(5);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    producer.start();
    try {
      Thread.sleep(15_000); // trained for a while, standbys caught up
      ChildService victim = instances.get(1);
      ChildService survivor = instances.get(0);
      Set<String> owned = localModels(victim);
      long afterKill = produced.get();
      long killed = System.nanoTime();
      victim.kill();
      double served = awaitServed(survivor, owned, killed);
      double visible = awaitPredictionAfter(cluster, app, owned, afterKill, killed);
      report(
          String.format(
              "failover, %d standby: SIGKILL to all %d of its models answering from the other"
                  + " instance %.1f s; to the first read_committed prediction made after the kill"
                  + " for one of them %.1f s",
              standbys, owned.size(), served, visible));
    } finally {
      producing.set(false);
      producer.join();
      for (ChildService instance : instances) {
        instance.stop();
      }
    }
  }

  private static Set<String> localModels(ChildService instance) throws Exception {
    Set<String> models = new HashSet<>();
    var response = instance.get("/models?scope=local");
    for (JsonNode node :
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body())) {
      models.add(node.get("model").asText());
    }
    return models;
  }

  private static double awaitServed(ChildService survivor, Set<String> models, long since)
      throws Exception {
    Set<String> waiting = new HashSet<>(models);
    while (!waiting.isEmpty()) {
      for (String model : List.copyOf(waiting)) {
        if (survivor.get("/models/" + model).statusCode() == 200) {
          waiting.remove(model);
        }
      }
      if (System.nanoTime() - since > Duration.ofMinutes(3).toNanos()) {
        throw new AssertionError("never served again: " + waiting);
      }
      Thread.sleep(50);
    }
    return (System.nanoTime() - since) / 1e9;
  }

  private static double awaitPredictionAfter(
      BrokerCluster cluster, String app, Set<String> models, long firstSample, long since) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(app + ".predictions", p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      AvroCodec<Prediction> codec = new AvroCodec<>(Prediction.getClassSchema());
      while (System.nanoTime() - since < Duration.ofMinutes(3).toNanos()) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          String model = new String(record.key(), StandardCharsets.UTF_8);
          long sample = Long.parseLong(codec.decode(record.value()).getSampleId().substring(1));
          if (models.contains(model) && sample >= firstSample) {
            return (System.nanoTime() - since) / 1e9;
          }
        }
      }
    }
    throw new AssertionError("no prediction after the kill within 3 minutes");
  }

  private static void awaitCounts(ChildService instance, ClusterWorkload work, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Map<String, JsonNode> seen = instance.models();
      long total = 0;
      for (JsonNode node : seen.values()) {
        total += node.get("samples").asLong();
      }
      if (total == work.ids.size()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the backlog was not learnt within " + timeout);
  }
}
