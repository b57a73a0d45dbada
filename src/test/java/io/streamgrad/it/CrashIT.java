package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamgrad.avro.LossReport;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.AvroCodec;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactly once across kill -9: the real service in child JVMs, killed with SIGKILL at random
 * moments while samples flow, then compared with replay bit for bit.
 */
class CrashIT {
  static final Path LOGS = Path.of("target", "crash-logs");
  static final int PARTITIONS = 4;
  static EmbeddedBroker broker;

  /**
   * Five models of different shapes and optimizers, one with a minibatch and Adam. Their ids are
   * chosen to land on all four partitions (checked below): with only alpha, beta and gamma (two
   * partitions) a killed instance sometimes had no work in flight, and nothing was taken over.
   */
  static final Map<String, String> SPECS = new LinkedHashMap<>();

  static {
    SPECS.put(
        "alpha",
        LearnerIT.spec(
            "alpha",
            "4-8-3",
            "{\"type\": \"sgd\", \"learning_rate\": 0.05, \"momentum\": 0.9}",
            1));
    SPECS.put(
        "beta",
        LearnerIT.spec("beta", "4-16-3", "{\"type\": \"adam\", \"learning_rate\": 0.005}", 8));
    SPECS.put(
        "gamma",
        LearnerIT.spec(
            "gamma",
            "4-5-3",
            "{\"type\": \"sgd\", \"learning_rate\": 0.1, \"nesterov\": true, \"momentum\": 0.5}",
            1));
    SPECS.put(
        "epsilon",
        LearnerIT.spec(
            "epsilon",
            "4-6-3",
            "{\"type\": \"sgd\", \"learning_rate\": 0.05, \"weight_decay\": 0.001}",
            1));
    SPECS.put(
        "nu", LearnerIT.spec("nu", "4-3-3", "{\"type\": \"sgd\", \"learning_rate\": 0.1}", 1));
  }

  @Test
  void shouldSpreadTheModelsOverEveryPartition() {
    Set<Integer> partitions = new TreeSet<>();
    for (String model : SPECS.keySet()) {
      partitions.add(
          Utils.toPositive(Utils.murmur2(bytes(model)))
              % PARTITIONS); // the default partitioner's choice
    }
    assertEquals(Set.of(0, 1, 2, 3), partitions);
  }

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  static Map<String, String> settings(String prefix) {
    Map<String, String> settings = new HashMap<>();
    settings.put("commit.interval.ms", "300");
    settings.put("topics.partitions", String.valueOf(PARTITIONS));
    settings.put("loss.every.samples", "500");
    settings.put("loss.every.ms", "500");
    // A killed instance never leaves the group: a short session lets its successor in quickly.
    settings.put("kafka.session.timeout.ms", "6000");
    settings.put("kafka.heartbeat.interval.ms", "1000");
    for (String topic :
        List.of("samples", "models", "predictions", "loss", "dead-letters", "labels", "outcomes")) {
      settings.put("topic." + topic, prefix + "." + topic);
    }
    return settings;
  }

  /** What the test sent, and what replay makes of it. */
  static final class Workload {
    final Map<String, Learner> offline = new HashMap<>();
    final Map<String, Long> perModel = new HashMap<>();
    final List<String> ids = new ArrayList<>();
    final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();

    Workload(String prefix, int labelled) {
      SampleDecoder codec = new SampleDecoder();
      SplittableRandom random = new SplittableRandom(17);
      SPECS.forEach(
          (m, json) ->
              offline.put(m, Learner.create(ModelFile.parse(json), StatsSettings.DEFAULT)));
      List<String> models = List.copyOf(SPECS.keySet());
      int sent = 0;
      for (int s = 0; sent < labelled; s++) {
        String model = models.get(random.nextInt(models.size()));
        double[] x = random.doubles(4, -1, 1).toArray();
        boolean unlabelled = s % 20 == 19;
        Sample sample =
            new Sample(
                "s" + s,
                x,
                unlabelled ? null : new double[] {x[0] > x[1] ? 1 : (x[2] > 0 ? 2 : 0)},
                0);
        if (!unlabelled) {
          sent++;
        }
        offline.get(model).learn(sample);
        perModel.merge(model, 1L, Long::sum);
        ids.add(sample.id());
        records.add(
            new ProducerRecord<>(prefix + ".samples", bytes(model), codec.encodeAvro(sample)));
      }
    }
  }

  @Test
  void shouldLoseAndDoubleNothingAcrossRepeatedKillMinusNine() throws Exception {
    String prefix = "crash";
    createTopics(prefix);
    Workload work = new Workload(prefix, 20_000);
    ChildService service =
        new ChildService(broker.bootstrapServers(), prefix, settings(prefix), LOGS);
    service.start();
    service.awaitRunning(Duration.ofSeconds(60));
    publishSpecs(prefix);

    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicLong produced = new AtomicLong();
    Thread producer = startProducer(work, 500, producing, produced);
    Random random = new Random(5);
    int kills = 0;
    while (producing.get() || kills < 5) {
      Thread.sleep(2000 + random.nextInt(4000));
      service.kill();
      kills++;
      service.start();
      service.awaitRunning(Duration.ofSeconds(90));
    }
    producer.join();
    assertTrue(kills >= 5, "killed " + kills + " times");

    awaitSamples(service, work, Duration.ofSeconds(180));
    for (String model : SPECS.keySet()) {
      assertEquals(
          work.offline.get(model).modelFile(),
          service.get("/models/" + model).body(),
          model + " is bit-identical to replay after " + kills + " kills");
    }
    assertExactlyOnePredictionPerSample(prefix, work);
    assertLossReportsAgree(prefix, work);
    service.stop();
    System.out.printf(
        "CrashIT: %d samples (%d labelled), %d models, %d kills with SIGKILL%n",
        work.ids.size(), 20_000, SPECS.size(), kills);
  }

  @Test
  void shouldLetASurvivorTakeOverFromAKilledInstance() throws Exception {
    String prefix = "twins";
    createTopics(prefix);
    Workload work = new Workload(prefix, 6_000);
    ChildService first =
        new ChildService(broker.bootstrapServers(), prefix, settings(prefix), LOGS);
    ChildService second =
        new ChildService(broker.bootstrapServers(), prefix, settings(prefix), LOGS);
    first.start();
    second.start();
    first.awaitRunning(Duration.ofSeconds(60));
    second.awaitRunning(Duration.ofSeconds(60));
    publishSpecs(prefix);
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicLong produced = new AtomicLong();
    Thread producer = startProducer(work, 600, producing, produced);
    while (produced.get() < work.records.size() / 2) {
      Thread.sleep(100);
    }
    // Either instance answers for every model: the one that does not own it forwards the request.
    for (ChildService instance : List.of(first, second)) {
      assertEquals(
          SPECS.keySet(),
          instance.models().keySet(),
          "GET /models lists the models of both instances");
      for (String model : SPECS.keySet()) {
        var response = instance.get("/models/" + model);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(model, ModelFile.parse(response.body()).model());
      }
    }
    first.kill(); // and never restarted
    producer.join();
    awaitSamples(second, work, Duration.ofSeconds(180));
    for (String model : SPECS.keySet()) {
      assertEquals(
          work.offline.get(model).modelFile(),
          second.get("/models/" + model).body(),
          model + " on the survivor is bit-identical to replay");
    }
    assertExactlyOnePredictionPerSample(prefix, work);
    second.stop();
  }

  static void createTopics(String prefix) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String topic :
          List.of(
              "samples", "models", "predictions", "loss", "dead-letters", "labels", "outcomes")) {
        NewTopic newTopic = new NewTopic(prefix + "." + topic, PARTITIONS, (short) 1);
        topics.add(
            topic.equals("models")
                ? newTopic.configs(Map.of("cleanup.policy", "compact"))
                : newTopic);
      }
      admin.createTopics(topics).all().get();
    }
  }

  static void publishSpecs(String prefix) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(broker.bootstrapServers(), Map.of())) {
      for (var spec : SPECS.entrySet()) {
        producer
            .send(
                new ProducerRecord<>(
                    prefix + ".models", bytes(spec.getKey()), bytes(spec.getValue())))
            .get();
      }
    }
    Thread.sleep(200);
  }

  static Thread startProducer(
      Workload work, int perSecond, AtomicBoolean producing, AtomicLong produced) {
    return PacedProducer.start(
        broker.bootstrapServers(), work.records, perSecond, producing, produced);
  }

  static void awaitSamples(ChildService service, Workload work, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, JsonNode> models = Map.of();
    while (System.nanoTime() < deadline) {
      models = service.models();
      boolean done = models.size() == SPECS.size();
      for (String model : SPECS.keySet()) {
        done &=
            models.containsKey(model)
                && models.get(model).get("samples").asLong() == work.perModel.get(model);
      }
      if (done) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "models did not reach " + work.perModel + ": " + models + "; see " + service.log());
  }

  static void assertExactlyOnePredictionPerSample(String prefix, Workload work) {
    // A killed instance's last transaction hides what follows it on its partitions until it times
    // out (10 s at this commit interval) and the broker aborts it: well inside this wait.
    var ids =
        ItSupport.readPredictions(
            broker.bootstrapServers(),
            prefix + ".predictions",
            work.ids.size(),
            Duration.ofSeconds(60));
    assertEquals(
        new java.util.HashSet<>(work.ids), ids, "one prediction per sample id, none missing");
  }

  static void assertLossReportsAgree(String prefix, Workload work) {
    AvroCodec<LossReport> codec = new AvroCodec<>(LossReport.getClassSchema());
    Map<String, Long> last = new HashMap<>();
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "loss-check-" + System.nanoTime(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(prefix + ".loss"));
      long deadline = System.currentTimeMillis() + 15_000;
      while (System.currentTimeMillis() < deadline && !last.equals(work.perModel)) {
        for (var record : consumer.poll(Duration.ofMillis(300))) {
          LossReport report = codec.decode(record.value());
          long previous = last.getOrDefault(report.getModel(), 0L);
          assertTrue(
              report.getSamples() >= previous, "committed loss reports never count backwards");
          last.put(report.getModel(), report.getSamples());
        }
      }
    }
    assertEquals(work.perModel, last, "the last loss report of each model counts every sample");
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
