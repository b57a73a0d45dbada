package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.cli.Main;
import io.streamgrad.http.Instance;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.AvroCodec;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.service.KafkaClients;
import io.streamgrad.service.LocalResources;
import io.streamgrad.service.SchemaRegistryClient;
import io.streamgrad.service.SchemaRegistryUnreachable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streamgrad in a registry shop, on a real broker and a real schema registry (Apicurio Registry,
 * Confluent-compatible API): samples framed by three writer schemas learnt as replay learns them,
 * outputs that a reader with only the registry's API and Avro decodes, bad ids and schemas
 * dead-lettered, a registry outage mid-stream that loses and doubles nothing, and the start-up
 * failures. One registry and one broker for the class.
 */
class SchemaRegistryIT {
  private static final Schema OURS = io.streamgrad.avro.Sample.getClassSchema();
  private static final Schema OLDER = AvroCodec.releasedSchemas("Sample").get(0);

  /**
   * A newer producer's Sample: fields in another order and one Streamgrad does not know. Its
   * features have our type (an array or a map of named values), as a schema evolved from ours must
   * to stay BACKWARD compatible with it.
   */
  private static final Schema NEWER =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Sample", "namespace": "io.streamgrad.avro", "fields": [
                {"name": "features", "type": %s},
                {"name": "id", "type": "string"},
                {"name": "label", "type": ["null", {"type": "array", "items": "double"}],
                 "default": null},
                {"name": "source", "type": "string", "default": "unknown"},
                {"name": "weight", "type": "double", "default": 1.0},
                {"name": "event_time", "type": "long", "default": 0}
              ]}"""
                  .formatted(OURS.getField("features").schema().toString()));

  private static final String SPEC =
      LearnerIT.spec("reg", "4-8-3", "{\"type\": \"adam\", \"learning_rate\": 0.01}", 1);

  static EmbeddedBroker broker;
  static RegistryProcess registry;
  static RegistryApi api;

  @BeforeAll
  static void start() throws Exception {
    registry = RegistryProcess.launch();
    broker = EmbeddedBroker.start();
    registry.awaitReady();
    api = new RegistryApi(registry.url());
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  static Configuration config(String prefix) {
    return ExactlyOnceIT.config(broker.bootstrapServers(), prefix)
        .with("topic.events", prefix + ".events")
        .with("schema.registry.url", registry.url())
        .with("output.format", "confluent-avro")
        .with("commit.interval.ms", "200");
  }

  @Test
  void shouldReachAnHttpsRegistryWithTheTrustStoreSettingsAndOnlyWithThem() throws Exception {
    int id = api.register("reg-tls.samples-value", OURS);
    Configuration trusting =
        Configuration.defaultsOnly()
            .with("schema.registry.url", registry.httpsUrl())
            .with("schema.registry.ssl.truststore.location", registry.trustStore().toString())
            .with("schema.registry.ssl.truststore.password", TestCertificates.PASSWORD);
    SchemaRegistryClient client =
        new SchemaRegistryClient(
            trusting.schemaRegistrySettings(), Duration.ofSeconds(2), System.out);
    client.checkReachable();
    assertEquals(
        OURS.toString(), client.writerSchema(id).orElseThrow().toString(), "fetched over TLS");

    Configuration notTrusting =
        Configuration.defaultsOnly().with("schema.registry.url", registry.httpsUrl());
    SchemaRegistryUnreachable refused =
        assertThrows(
            SchemaRegistryUnreachable.class,
            () ->
                new SchemaRegistryClient(
                        notTrusting.schemaRegistrySettings(), Duration.ofSeconds(2), System.out)
                    .checkReachable(),
            "a certificate the JDK's default trust store does not vouch for is refused");
    assertTrue(refused.getMessage().contains(registry.httpsUrl()), refused.getMessage());
  }

  @Test
  void shouldLearnSamplesOfThreeWriterSchemasAsReplayDoesAndWriteOutputsTheRegistryDescribes()
      throws Exception {
    String prefix = "reg-learn";
    String subject = prefix + ".samples-value";
    // In the order a producer's schema evolves: each one BACKWARD compatible with the one before.
    int older = api.register(subject, OLDER);
    int ours = api.register(subject, OURS);
    int newer = api.register(subject, NEWER);
    Learner offline = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    List<byte[]> values = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(5);
    for (int s = 0; s < 600; s++) {
      double[] x = random.doubles(4, -1, 1).toArray();
      double[] label = {x[0] > x[1] ? 1 : (x[2] > 0 ? 2 : 0)};
      String id = "r" + s;
      // The older schema has no weight: Streamgrad fills in its default, 1.
      double weight = s % 3 == 0 ? 1.0 : 0.5 + (s % 4) * 0.25;
      offline.learn(new Sample(id, x, label, s, weight));
      values.add(
          switch (s % 3) {
            case 0 -> RegistryApi.frame(older, sample(OLDER, id, x, label, s, weight));
            case 1 -> RegistryApi.frame(ours, sample(OURS, id, x, label, s, weight));
            default -> RegistryApi.frame(newer, sample(NEWER, id, x, label, s, weight));
          });
    }
    // The spec too, as an operator with a registry serializer publishes it.
    Schema specSchema = io.streamgrad.avro.ModelSpec.getClassSchema();
    GenericRecord spec = new GenericData.Record(specSchema);
    spec.put("model", "reg");
    spec.put("model_file", SPEC);
    byte[] framedSpec = RegistryApi.frame(api.register(prefix + ".models-value", specSchema), spec);
    try (Instance service = ExactlyOnceIT.start(config(prefix))) {
      produce(prefix, framedSpec, values);
      List<GenericRecord> predictions =
          readCommitted(prefix + ".predictions", values.size(), Duration.ofMinutes(2));
      Set<String> ids = new HashSet<>();
      for (GenericRecord prediction : predictions) {
        assertTrue(ids.add(prediction.get("sample_id").toString()), "no prediction twice");
      }
      assertEquals(values.size(), ids.size());
      assertEquals(
          offline.modelFile(),
          ItSupport.awaitModel(service.httpPort(), "reg", 600, Duration.ofSeconds(60)),
          "the same model, bit for bit, as replay of the same samples");
      GenericRecord loss = readCommitted(prefix + ".loss", 1, Duration.ofSeconds(30), false).get(0);
      assertEquals("reg", loss.get("model").toString());
      GenericRecord event =
          readCommitted(prefix + ".events", 1, Duration.ofSeconds(30), false).get(0);
      assertEquals("SPEC_APPLIED", event.get("type").toString());
    }
    assertTrue(
        tail(prefix + ".predictions").contains("reg  sample r0  step 0"),
        "tail reads the framed predictions through the registry");
    for (String topic : List.of("predictions", "loss", "events", "dead-letters")) {
      Schema registered = api.schema(api.latestId(prefix + "." + topic + "-value"));
      assertTrue(
          registered.getFullName().startsWith("io.streamgrad.avro."),
          topic + " has its schema registered under the topic strategy's subject");
    }
  }

  @Test
  void shouldDeadLetterAnUnknownIdAndAnUnresolvableSchemaAndGoOnPastADeadUrl() throws Exception {
    String prefix = "reg-bad";
    Schema strings =
        new Schema.Parser()
            .parse(
                "{\"type\": \"record\", \"name\": \"Sample\", \"namespace\": \"io.streamgrad.avro\","
                    + " \"fields\": [{\"name\": \"id\", \"type\": \"string\"}, {\"name\":"
                    + " \"features\", \"type\": {\"type\": \"array\", \"items\": \"string\"}}]}");
    int unresolvable = api.register("someone-else-value", strings);
    int ours = api.register(prefix + ".samples-value", OURS);
    GenericRecord stringy = new GenericData.Record(strings);
    stringy.put("id", "s-strings");
    stringy.put("features", List.of("1", "2", "3", "4"));
    double[] x = {0.1, 0.2, 0.3, 0.4};
    List<byte[]> values =
        List.of(
            RegistryApi.frame(
                unresolvable + ours + 100_000, sample(OURS, "s-unknown", x, null, 0, 1)),
            RegistryApi.frame(unresolvable, stringy),
            RegistryApi.frame(ours, sample(OURS, "s-good", x, new double[] {1}, 0, 1)));
    // Two URLs, the first of which answers nothing: the client moves on to the second.
    String dead = "http://127.0.0.1:" + LocalResources.freePort() + "/apis/ccompat/v7";
    Configuration config = config(prefix).with("schema.registry.url", dead + "," + registry.url());
    try (Instance service = ExactlyOnceIT.start(config)) {
      produce(prefix, values);
      List<GenericRecord> letters =
          readCommitted(prefix + ".dead-letters", 2, Duration.ofSeconds(60));
      Map<String, String> reasons = new HashMap<>();
      for (GenericRecord letter : letters) {
        reasons.put(letter.get("reason").toString(), letter.get("message").toString());
      }
      assertEquals(Set.of("UNKNOWN_SCHEMA_ID", "UNRESOLVABLE_SCHEMA"), reasons.keySet());
      assertTrue(
          reasons.get("UNKNOWN_SCHEMA_ID").contains(String.valueOf(unresolvable + ours + 100_000)),
          reasons.get("UNKNOWN_SCHEMA_ID"));
      assertTrue(
          reasons.get("UNRESOLVABLE_SCHEMA").contains("registry id " + unresolvable),
          reasons.toString());
      GenericRecord prediction =
          readCommitted(prefix + ".predictions", 1, Duration.ofSeconds(30)).get(0);
      assertEquals("s-good", prediction.get("sample_id").toString(), "the stream went on");
    }
  }

  @Test
  void shouldWaitForARegistryThatGoesDownMidStreamAndLoseOrDoubleNothing() throws Exception {
    String prefix = "reg-outage";
    int ours = api.register(prefix + ".samples-value", OURS);
    // Registered before the outage, first used during it: no cache of the service holds it.
    int newer = api.register(prefix + ".samples-value", NEWER);
    Learner offline = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    List<byte[]> before = new ArrayList<>();
    List<byte[]> during = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(17);
    for (int s = 0; s < 900; s++) {
      double[] x = random.doubles(4, -1, 1).toArray();
      double[] label = {x[0] > x[1] ? 1 : (x[2] > 0 ? 2 : 0)};
      offline.learn(new Sample("o" + s, x, label, s));
      if (s < 300) {
        before.add(RegistryApi.frame(ours, sample(OURS, "o" + s, x, label, s, 1)));
      } else {
        int id = s < 600 ? newer : ours;
        during.add(
            RegistryApi.frame(id, sample(id == newer ? NEWER : OURS, "o" + s, x, label, s, 1)));
      }
    }
    Configuration config =
        config(prefix)
            // The failed thread never leaves the group: a short session lets its replacement in
            // quickly, as in ExactlyOnceIT.
            .with("kafka.session.timeout.ms", "6000");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (Instance service =
        Instance.start(config, new PrintStream(log, true, StandardCharsets.UTF_8))) {
      service.awaitRunning(Duration.ofSeconds(60));
      produce(prefix, before);
      readCommitted(prefix + ".predictions", before.size(), Duration.ofSeconds(60), false);
      registry.stop();
      try {
        produce(prefix, during);
        awaitNotReadyForTheRegistry(service.httpPort(), Duration.ofSeconds(30));
        // Down for longer than a lookup retries: the transaction is aborted, the record waits.
        awaitLine(log, "giving up for now", Duration.ofSeconds(30));
      } finally {
        registry.startAgain();
      }
      String lines = log.toString(StandardCharsets.UTF_8);
      assertTrue(
          lines.contains("looking up schema id " + newer + " (attempt 2)"),
          "a line per attempt, with the id: " + lines);
      List<GenericRecord> predictions =
          readCommitted(prefix + ".predictions", 900, Duration.ofSeconds(150));
      Set<String> ids = new HashSet<>();
      for (GenericRecord prediction : predictions) {
        assertTrue(
            ids.add(prediction.get("sample_id").toString()),
            "no prediction twice: " + prediction.get("sample_id"));
      }
      assertEquals(900, ids.size(), "every prediction once");
      assertEquals(
          offline.modelFile(),
          ItSupport.awaitModel(service.httpPort(), "reg", 900, Duration.ofSeconds(60)),
          "every sample counted once");
      assertEquals(
          0, readCommittedCount(prefix + ".dead-letters", Duration.ofSeconds(2)), "no dead letter");
      String metrics = ItSupport.get(service.httpPort(), "/metrics").body();
      assertTrue(
          metrics
              .lines()
              .anyMatch(l -> l.matches("streamgrad_schema_registry_failures_total [1-9].*")),
          "the failed lookups are counted");
      assertEquals(200, ItSupport.get(service.httpPort(), "/health/ready").statusCode());
    } finally {
      System.out.println(
          log.toString(StandardCharsets.UTF_8)); // the outage's timeline, if it fails
    }
  }

  @Test
  void shouldRefuseToStartWhenASubjectHoldsAnIncompatibleSchema() throws Exception {
    String prefix = "reg-refused";
    Schema theirs =
        new Schema.Parser()
            .parse(
                "{\"type\": \"record\", \"name\": \"Prediction\", \"namespace\":"
                    + " \"io.streamgrad.avro\", \"fields\": [{\"name\": \"score\", \"type\":"
                    + " \"int\"}]}");
    api.register(prefix + ".predictions-value", theirs);
    Configuration.InvalidSetting refused =
        assertThrows(Configuration.InvalidSetting.class, () -> ExactlyOnceIT.start(config(prefix)));
    assertTrue(
        refused.getMessage().contains("subject " + prefix + ".predictions-value"),
        refused.getMessage());
  }

  @Test
  void shouldExitWithCode3NamingTheUrlWhenTheRegistryDoesNotAnswerAtStart() {
    String url = "http://127.0.0.1:" + LocalResources.freePort() + "/apis/ccompat/v7";
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code =
          Main.execute(
              "run",
              "--bootstrap-servers",
              broker.bootstrapServers(),
              "--http-port",
              "0",
              "--application-id",
              "reg-unreachable",
              "--set",
              "schema.registry.url=" + url);
    } finally {
      System.setErr(before);
    }
    String log = err.toString(StandardCharsets.UTF_8);
    assertEquals(3, code, log);
    assertTrue(log.contains(url), log);
  }

  /** What {@code tail --schema-registry-url} prints of the first three records of topic. */
  private static String tail(String topic) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream before = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(
          0,
          Main.execute(
              "tail",
              "--bootstrap-servers",
              broker.bootstrapServers(),
              "--topic",
              topic,
              "--from-beginning",
              "--max",
              "3",
              "--schema-registry-url",
              registry.url()));
    } finally {
      System.setOut(before);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static GenericRecord sample(
      Schema schema, String id, double[] x, double[] label, long time, double weight) {
    GenericRecord record = new GenericData.Record(schema);
    record.put("id", id);
    record.put("features", toList(x));
    if (schema.getField("label") != null) {
      record.put("label", label == null ? null : toList(label));
    }
    record.put("event_time", time);
    if (schema.getField("weight") != null) {
      record.put("weight", weight);
    }
    if (schema.getField("source") != null) {
      record.put("source", "sensor-" + (time % 7));
    }
    return record;
  }

  private static List<Double> toList(double[] values) {
    List<Double> list = new ArrayList<>();
    for (double v : values) {
      list.add(v);
    }
    return list;
  }

  private static void produce(String prefix, List<byte[]> samples) throws Exception {
    produce(prefix, SPEC.getBytes(StandardCharsets.UTF_8), samples);
  }

  private static void produce(String prefix, byte[] spec, List<byte[]> samples) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(broker.bootstrapServers(), Map.of())) {
      producer
          .send(
              new ProducerRecord<>(
                  prefix + ".models", "reg".getBytes(StandardCharsets.UTF_8), spec))
          .get();
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (byte[] value : samples) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    prefix + ".samples", "reg".getBytes(StandardCharsets.UTF_8), value)));
      }
      producer.flush();
      for (var delivery : sent) {
        delivery.get(); // every sample is on the topic before the test goes on
      }
    }
  }

  private static void awaitLine(ByteArrayOutputStream log, String text, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!log.toString(StandardCharsets.UTF_8).contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' in the log: " + log);
      }
      Thread.sleep(100);
    }
  }

  /** Waits until /health/ready says the stream waits for the schema registry. */
  private static void awaitNotReadyForTheRegistry(int port, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> ready = ItSupport.get(port, "/health/ready");
      last = ready.statusCode() + " " + ready.body();
      if (ready.statusCode() == 503 && ready.body().contains("schema registry")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("never reported the registry outage; last /health/ready: " + last);
  }

  /**
   * The committed records of topic, decoded with only the registry's API and Avro: at least
   * expected of them, then two seconds more, in which a duplicate would show.
   */
  private static List<GenericRecord> readCommitted(String topic, int expected, Duration timeout)
      throws Exception {
    return readCommitted(topic, expected, timeout, true);
  }

  /**
   * @param watchForMore whether to read two seconds more, where a duplicate would show
   */
  private static List<GenericRecord> readCommitted(
      String topic, int expected, Duration timeout, boolean watchForMore) throws Exception {
    List<GenericRecord> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = committedConsumer(topic)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          records.add(api.read(record.value()));
        }
      }
      if (watchForMore) {
        for (var record : consumer.poll(Duration.ofSeconds(2))) {
          records.add(api.read(record.value()));
        }
      }
    }
    assertTrue(
        records.size() >= expected,
        topic + ": " + records.size() + " records of at least " + expected);
    return records;
  }

  private static int readCommittedCount(String topic, Duration wait) {
    int count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = committedConsumer(topic)) {
      long deadline = System.nanoTime() + wait.toNanos();
      while (System.nanoTime() < deadline) {
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
    }
    return count;
  }

  private static KafkaConsumer<byte[], byte[]> committedConsumer(String topic) {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    consumer
        .partitionsFor(topic, Duration.ofSeconds(30))
        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }
}
