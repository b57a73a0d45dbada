package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.avro.DeadLetter;
import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.Outcome;
import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.Label;
import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.Served;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.AvroCodec;
import io.streamgrad.records.LabelDecoder;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
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
 * Late labels exactly once across kill -9: 20,000 samples whose labels come later (some never, some
 * twice, some before their sample, some on the samples topic) flow through the real service in a
 * child JVM killed with SIGKILL at least five times. Every label is applied once (one outcome),
 * every sample predicted once, the pending samples survive each restart, and the models are
 * bit-identical to a replay of the order the stream processed, read back from the steps in the
 * predictions and outcomes (minibatch 1: each training is one step).
 */
class DelayedLabelsIT {
  static final Path LOGS = Path.of("target", "delayed-labels-logs");
  static final int PARTITIONS = 2;
  static final String PREFIX = "late";
  static final int SAMPLES = 20_000;
  static EmbeddedBroker broker;

  /** Two models, one per partition. */
  static final Map<String, String> SPECS = new LinkedHashMap<>();

  static {
    Set<Integer> taken = new HashSet<>();
    for (String candidate : List.of("clicks", "fraud", "clicks2", "orders")) {
      int partition = Utils.toPositive(Utils.murmur2(bytes(candidate))) % PARTITIONS;
      if (taken.add(partition)) {
        String spec =
            LearnerIT.spec(candidate, "4-8-3", "{\"type\": \"sgd\", \"learning_rate\": 0.05}", 1);
        SPECS.put(
            candidate, spec.substring(0, spec.lastIndexOf('}')) + ", \"label_wait_ms\": 86400000}");
      }
    }
  }

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  /** The records the test sends, in order, and what it expects of them. */
  static final class Workload {
    final Map<String, Sample> samples = new HashMap<>();
    final Map<String, Long> perModel = new HashMap<>();
    final Set<String> labelled = new HashSet<>();
    final Map<String, Long> neverLabelled = new HashMap<>();
    int duplicates;
    final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    final long start = System.currentTimeMillis();

    Workload() {
      SampleDecoder sampleCodec = new SampleDecoder();
      LabelDecoder labelCodec = new LabelDecoder();
      SplittableRandom random = new SplittableRandom(23);
      List<String> models = List.copyOf(SPECS.keySet());
      // Labels due once this many records were sent.
      java.util.TreeMap<Integer, List<ProducerRecord<byte[], byte[]>>> due =
          new java.util.TreeMap<>();
      for (int s = 0; s < SAMPLES; s++) {
        while (!due.isEmpty() && due.firstKey() <= records.size()) {
          due.pollFirstEntry().getValue().forEach(this::send);
        }
        String model = models.get(random.nextInt(models.size()));
        double[] x = random.doubles(4, -1, 1).toArray();
        double y = x[0] > x[1] ? 1 : (x[2] > 0 ? 2 : 0);
        String id = "s" + s;
        double kind = random.nextDouble();
        boolean carries = kind < 0.1;
        Sample sample = new Sample(id, x, carries ? new double[] {y} : null, 0);
        samples.put(id, sample);
        perModel.merge(model, 1L, Long::sum);
        if (kind >= 0.1 && kind < 0.15) {
          send(labelRecord(model, id, y, labelCodec, random, true)); // before its sample
          labelled.add(id);
        }
        send(
            new ProducerRecord<>(
                PREFIX + ".samples", bytes(model), sampleCodec.encodeAvro(sample)));
        if (kind < 0.15) {
          continue;
        }
        if (kind < 0.25) {
          neverLabelled.merge(model, 1L, Long::sum);
          continue;
        }
        labelled.add(id);
        int at = records.size() + 5 + random.nextInt(400);
        due.computeIfAbsent(at, p -> new ArrayList<>())
            .add(labelRecord(model, id, y, labelCodec, random, false));
        if (kind > 0.95) {
          duplicates++;
          due.computeIfAbsent(at + 3 + random.nextInt(50), p -> new ArrayList<>())
              .add(labelRecord(model, id, y, labelCodec, random, false));
        }
      }
      due.values().forEach(list -> list.forEach(this::send));
    }

    /**
     * Sends in order, each record timed 1 ms after the one before (about the rate they are sent).
     */
    private void send(ProducerRecord<byte[], byte[]> record) {
      records.add(
          new ProducerRecord<>(
              record.topic(), null, start + records.size(), record.key(), record.value()));
    }

    /** A label: mostly JSON on the labels topic, some Avro, some on the samples topic. */
    private static ProducerRecord<byte[], byte[]> labelRecord(
        String model,
        String id,
        double y,
        LabelDecoder codec,
        SplittableRandom random,
        boolean labelsTopic) {
      double r = random.nextDouble();
      String topic = labelsTopic || r < 0.8 ? PREFIX + ".labels" : PREFIX + ".samples";
      byte[] value =
          r < 0.5
              ? codec.encodeAvro(new Label(id, new double[] {y}, 0))
              : ("{\"id\": \"" + id + "\", \"label\": " + (int) y + "}")
                  .getBytes(StandardCharsets.UTF_8);
      return new ProducerRecord<>(topic, bytes(model), value);
    }
  }

  @Test
  void shouldApplyEveryLateLabelOnceAcrossRepeatedKillMinusNine() throws Exception {
    assertEquals(PARTITIONS, SPECS.size(), "a model on each partition");
    createTopics();
    Workload work = new Workload();
    Map<String, String> settings = CrashIT.settings(PREFIX);
    ChildService service = new ChildService(broker.bootstrapServers(), PREFIX, settings, LOGS);
    try {
      killRepeatedlyAndCheck(service, work);
    } finally {
      service.stop(); // also when an assertion failed: no service outlives the test
    }
  }

  private static void killRepeatedlyAndCheck(ChildService service, Workload work) throws Exception {
    service.start();
    service.awaitRunning(Duration.ofSeconds(60));
    publishSpecs();

    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicLong produced = new AtomicLong();
    Thread producer = startProducer(work, 1_200, producing, produced);
    Random random = new Random(7);
    int kills = 0;
    while (producing.get() || kills < 5) {
      Thread.sleep(1500 + random.nextInt(2500));
      service.kill();
      kills++;
      service.start();
      service.awaitRunning(Duration.ofSeconds(90));
    }
    producer.join();
    assertTrue(kills >= 5, "killed " + kills + " times");

    Set<String> predicted =
        ItSupport.readPredictions(
            broker.bootstrapServers(),
            PREFIX + ".predictions",
            work.samples.size(),
            Duration.ofSeconds(90));
    assertEquals(work.samples.keySet(), predicted, "one prediction per sample");
    List<Outcome> outcomes = readOutcomes(work.labelled.size());
    Set<String> applied = new HashSet<>();
    for (Outcome outcome : outcomes) {
      assertTrue(applied.add(outcome.getSampleId()), "one outcome per label: " + outcome);
    }
    assertEquals(work.labelled, applied, "every label applied: pending samples survived kills");
    assertEquals(
        work.duplicates,
        notPendingDeadLetters(work.duplicates),
        "every second label refused, once");

    Map<String, Learner> replayed = replayProcessedOrder(work, outcomes);
    for (String model : SPECS.keySet()) {
      String expected = replayed.get(model).modelFile();
      String actual = awaitModelFile(service, model, expected, Duration.ofSeconds(30));
      assertEquals(expected, actual, model + " is bit-identical to replay of the processed order");
    }
    assertEquals(
        work.neverLabelled, pendingAfterOneMoreSample(work), "what never got a label waits");
    System.out.printf(
        "DelayedLabelsIT: %d samples, %d labels applied, %d refused twice, %d kills%n",
        work.samples.size(), applied.size(), work.duplicates, kills);
  }

  /**
   * The order the stream trained in, from the outputs: a prediction at step s came before the
   * training that took step s (a labelled sample's own, or an outcome's with trained_step s).
   */
  private static Map<String, Learner> replayProcessedOrder(Workload work, List<Outcome> outcomes)
      throws Exception {
    record Event(String model, long step, int order, String sampleId, List<Double> label) {}
    List<Event> events = new ArrayList<>();
    AvroCodec<Prediction> codec = new AvroCodec<>(Prediction.getClassSchema());
    for (byte[] value : readAll(PREFIX + ".predictions", work.samples.size())) {
      Prediction prediction = codec.decode(value);
      Sample sample = work.samples.get(prediction.getSampleId());
      events.add(
          new Event(
              prediction.getModel(),
              prediction.getStep(),
              sample.isLabelled() ? 1 : 0,
              sample.id(),
              null));
    }
    for (Outcome outcome : outcomes) {
      assertEquals("STEPPED", outcome.getOutcome());
      events.add(
          new Event(
              outcome.getModel(),
              outcome.getTrainedStep(),
              1,
              outcome.getSampleId(),
              outcome.getLabel()));
    }
    events.sort(
        Comparator.comparing(Event::model)
            .thenComparingLong(Event::step)
            .thenComparingInt(Event::order));
    Map<String, Learner> learners = new HashMap<>();
    Map<String, Served> served = new HashMap<>();
    Function<String, Learner> learner =
        model ->
            learners.computeIfAbsent(
                model, m -> Learner.create(ModelFile.parse(SPECS.get(m)), StatsSettings.DEFAULT));
    for (Event event : events) {
      Learner model = learner.apply(event.model());
      if (event.label() == null) {
        Sample sample = work.samples.get(event.sampleId());
        assertEquals(event.step(), model.steps(), "the processed order is consistent");
        LearnResult result = model.learn(sample);
        if (!sample.isLabelled()) {
          served.put(sample.id(), model.served(sample, result, 0));
        }
      } else {
        assertEquals(event.step(), model.steps(), "the processed order is consistent");
        model.learnLabel(
            served.remove(event.sampleId()),
            new Label(
                event.sampleId(),
                event.label().stream().mapToDouble(Double::doubleValue).toArray(),
                0),
            0);
      }
    }
    return learners;
  }

  private static String awaitModelFile(
      ChildService service, String model, String expected, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      body = service.get("/models/" + model).body();
      if (body.equals(expected)) {
        return body;
      }
      Thread.sleep(300);
    }
    return body;
  }

  static void createTopics() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String topic :
          List.of(
              "samples", "models", "predictions", "loss", "dead-letters", "labels", "outcomes")) {
        NewTopic newTopic = new NewTopic(PREFIX + "." + topic, PARTITIONS, (short) 1);
        topics.add(
            topic.equals("models")
                ? newTopic.configs(Map.of("cleanup.policy", "compact"))
                : newTopic);
      }
      admin.createTopics(topics).all().get();
    }
  }

  static void publishSpecs() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(broker.bootstrapServers(), Map.of())) {
      for (var spec : SPECS.entrySet()) {
        producer
            .send(
                new ProducerRecord<>(
                    PREFIX + ".models", null, 0L, bytes(spec.getKey()), bytes(spec.getValue())))
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

  private static KafkaConsumer<byte[], byte[]> committedReader(String topic) {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "check-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  /** Every committed record of a topic, expecting at least this many. */
  private static List<byte[]> readAll(String topic, int expected) {
    List<byte[]> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = committedReader(topic)) {
      long deadline = System.currentTimeMillis() + 60_000;
      while (System.currentTimeMillis() < deadline && values.size() < expected) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
      }
      consumer.poll(Duration.ofSeconds(1)).forEach(record -> values.add(record.value()));
    }
    return values;
  }

  private static List<Outcome> readOutcomes(int expected) {
    AvroCodec<Outcome> codec = new AvroCodec<>(Outcome.getClassSchema());
    List<Outcome> outcomes = new ArrayList<>();
    for (byte[] value : readAll(PREFIX + ".outcomes", expected)) {
      outcomes.add(codec.decode(value));
    }
    return outcomes;
  }

  private static int notPendingDeadLetters(int expected) {
    AvroCodec<DeadLetter> codec = new AvroCodec<>(DeadLetter.getClassSchema());
    int count = 0;
    for (byte[] value : readAll(PREFIX + ".dead-letters", expected)) {
      DeadLetter letter = codec.decode(value);
      assertEquals("LABEL_NOT_PENDING", letter.getReason(), letter.getMessage());
      count++;
    }
    return count;
  }

  /**
   * The pending count of each model in the loss report that follows one more labelled sample of it
   * (sent after everything else, so that the report is about the final state).
   */
  private static Map<String, Long> pendingAfterOneMoreSample(Workload work) throws Exception {
    SampleDecoder codec = new SampleDecoder();
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(broker.bootstrapServers(), Map.of())) {
      for (String model : SPECS.keySet()) {
        Sample last = new Sample("last-" + model, new double[] {0, 0, 0, 0}, new double[] {0}, 0);
        producer
            .send(new ProducerRecord<>(PREFIX + ".samples", bytes(model), codec.encodeAvro(last)))
            .get();
      }
    }
    AvroCodec<LossReport> reports = new AvroCodec<>(LossReport.getClassSchema());
    Map<String, Long> pending = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = committedReader(PREFIX + ".loss")) {
      long deadline = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < deadline && pending.size() < SPECS.size()) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          LossReport report = reports.decode(record.value());
          if (report.getSamples() == work.perModel.get(report.getModel()) + 1) {
            pending.put(report.getModel(), report.getPending());
          }
        }
      }
    }
    return pending;
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
