package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.avro.DeadLetter;
import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.Prediction;
import io.streamgrad.http.Instance;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.AvroCodec;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.EmbeddedBroker;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A barrage of bad input, and a model that diverges: the stream goes on, no model is touched. */
class BadInputIT {
  static final String GOOD_SPEC =
      LearnerIT.spec("good", "4-8-3", "{\"type\": \"sgd\", \"learning_rate\": 0.05}", 1);
  static EmbeddedBroker broker;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  static void createTopics(String prefix) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  // Room for a 1.5 MB record, so that it reaches the service rather than failing at
                  // the producer.
                  new NewTopic(prefix + ".samples", 2, (short) 1)
                      .configs(Map.of("max.message.bytes", "3000000")),
                  new NewTopic(prefix + ".models", 2, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact")),
                  new NewTopic(prefix + ".predictions", 2, (short) 1),
                  new NewTopic(prefix + ".loss", 1, (short) 1),
                  new NewTopic(prefix + ".dead-letters", 1, (short) 1)
                      .configs(Map.of("max.message.bytes", "3000000"))))
          .all()
          .get();
    }
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 3_000_000);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Test
  void shouldDeadLetterEveryBadRecordOnceAndTrainOnlyOnTheGoodOnes() throws Exception {
    String prefix = "barrage";
    createTopics(prefix);
    Configuration config =
        ExactlyOnceIT.config(broker.bootstrapServers(), prefix)
            .with("commit.interval.ms", "200")
            .with(
                "unknown.model.wait.ms",
                "2000"); // the ghost model's samples wait 2 s for a spec that never comes
    Learner offline = Learner.create(ModelFile.parse(GOOD_SPEC), StatsSettings.DEFAULT);
    SampleDecoder codec = new SampleDecoder();
    SplittableRandom random = new SplittableRandom(23);
    String samples = prefix + ".samples";
    byte[] good = "good".getBytes(StandardCharsets.UTF_8);
    Map<ReasonCode, Integer> expected = new EnumMap<>(ReasonCode.class);
    List<ProducerRecord<byte[], byte[]>> bad = new ArrayList<>();
    Map<String, Integer> byKind = new java.util.TreeMap<>();
    Consumer<Object[]> add =
        spec -> {
          // spec: kind, reason, count, generator
          String kind = (String) spec[0];
          ReasonCode reason = (ReasonCode) spec[1];
          int count = (Integer) spec[2];
          @SuppressWarnings("unchecked")
          java.util.function.Supplier<ProducerRecord<byte[], byte[]>> make =
              (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>) spec[3];
          for (int i = 0; i < count; i++) {
            bad.add(make.get());
          }
          expected.merge(reason, count, Integer::sum);
          byKind.put(kind, count);
        };
    java.util.function.Supplier<double[]> x = () -> random.doubles(4, -1, 1).toArray();
    add.accept(
        new Object[] {
          "random bytes",
          ReasonCode.UNDECODABLE,
          600,
          (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>)
              () -> {
                byte[] junk = new byte[1 + random.nextInt(200)];
                for (int i = 0; i < junk.length; i++) {
                  junk[i] = (byte) random.nextInt(256);
                }
                junk[0] = 7; // neither C3 nor '{'
                return new ProducerRecord<>(samples, good, junk);
              }
        });
    add.accept(
        new Object[] {
          "empty value",
          ReasonCode.UNDECODABLE,
          400,
          (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>)
              () -> new ProducerRecord<>(samples, good, new byte[0])
        });
    add.accept(
        new Object[] {
          "truncated Avro",
          ReasonCode.UNDECODABLE,
          400,
          (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>)
              () -> {
                byte[] whole = codec.encodeAvro(new Sample("t", x.get(), new double[] {1}, 0));
                return new ProducerRecord<>(samples, good, Arrays.copyOf(whole, whole.length - 12));
              }
        });
    add.accept(
        new Object[] {
          "unknown schema fingerprint",
          ReasonCode.UNKNOWN_SCHEMA,
          400,
          (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>)
              () -> {
                byte[] whole = codec.encodeAvro(new Sample("f", x.get(), new double[] {1}, 0));
                whole[2 + random.nextInt(8)] ^= (byte) (1 + random.nextInt(255));
                return new ProducerRecord<>(samples, good, whole);
              }
        });
    add.accept(
        new Object[] {
          "malformed JSON",
          ReasonCode.MALFORMED_JSON,
          400,
          (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>)
              () ->
                  new ProducerRecord<>(
                      samples,
                      good,
                      "{\"id\": \"j\", \"features\": [1, 2,".getBytes(StandardCharsets.UTF_8))
        });
    add.accept(
        new Object[] {
          "null key",
          ReasonCode.NULL_KEY,
          400,
          (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>)
              () ->
                  new ProducerRecord<>(
                      samples,
                      null,
                      codec.encodeAvro(new Sample("k", x.get(), new double[] {1}, 0)))
        });
    add.accept(
        new Object[] {
          "unknown model",
          ReasonCode.UNKNOWN_MODEL,
          400,
          (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>)
              () ->
                  new ProducerRecord<>(
                      samples,
                      "ghost".getBytes(StandardCharsets.UTF_8),
                      codec.encodeAvro(new Sample("u", x.get(), new double[] {1}, 0)))
        });
    add.accept(
        new Object[] {
          "wrong number of features",
          ReasonCode.WRONG_FEATURE_COUNT,
          400,
          (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>)
              () ->
                  new ProducerRecord<>(
                      samples,
                      good,
                      codec.encodeAvro(
                          new Sample("w", new double[] {1, 2, 3, 4, 5}, new double[] {1}, 0)))
        });
    add.accept(
        new Object[] {
          "NaN feature",
          ReasonCode.NON_FINITE_FEATURE,
          300,
          (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>)
              () ->
                  new ProducerRecord<>(
                      samples,
                      good,
                      codec.encodeAvro(
                          new Sample("n", new double[] {1, Double.NaN, 3, 4}, new double[] {1}, 0)))
        });
    add.accept(
        new Object[] {
          "infinite feature",
          ReasonCode.NON_FINITE_FEATURE,
          300,
          (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>)
              () ->
                  new ProducerRecord<>(
                      samples,
                      good,
                      codec.encodeAvro(
                          new Sample(
                              "i",
                              new double[] {1, 2, Double.NEGATIVE_INFINITY, 4},
                              new double[] {1},
                              0)))
        });
    add.accept(
        new Object[] {
          "NaN label",
          ReasonCode.NON_FINITE_LABEL,
          300,
          (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>)
              () ->
                  new ProducerRecord<>(
                      samples,
                      good,
                      codec.encodeAvro(new Sample("nl", x.get(), new double[] {Double.NaN}, 0)))
        });
    add.accept(
        new Object[] {
          "label the loss cannot take",
          ReasonCode.BAD_LABEL,
          400,
          (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>)
              () ->
                  new ProducerRecord<>(
                      samples,
                      good,
                      codec.encodeAvro(new Sample("l", x.get(), new double[] {7}, 0)))
        });
    add.accept(
        new Object[] {
          "record over 1 MB",
          ReasonCode.RECORD_TOO_LARGE,
          5,
          (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>)
              () -> new ProducerRecord<>(samples, good, new byte[1_500_000])
        });
    add.accept(
        new Object[] {
          "inconsistent spec",
          ReasonCode.INVALID_SPEC,
          300,
          (java.util.function.Supplier<ProducerRecord<byte[], byte[]>>)
              () ->
                  new ProducerRecord<>(
                      prefix + ".models",
                      "broken".getBytes(StandardCharsets.UTF_8),
                      ("{\"model\": \"broken\", \"layers\": [{\"in\": 3, \"out\": 4, \"activation\": \"softmax\"},"
                              + " {\"in\": 4, \"out\": 2, \"activation\": \"identity\"}], \"loss\": \"l2\"}")
                          .getBytes(StandardCharsets.UTF_8))
        });
    int totalBad = bad.size();
    assertTrue(totalBad >= 5000, "at least 5,000 bad records: " + totalBad);

    // Interleave: 5,000 good samples with the bad records scattered among them.
    List<ProducerRecord<byte[], byte[]>> stream = new ArrayList<>();
    java.util.Collections.shuffle(bad, new java.util.Random(1));
    int b = 0;
    for (int s = 0; s < 5000; s++) {
      Sample sample = new Sample("g" + s, x.get(), new double[] {random.nextInt(3)}, 0);
      offline.learn(sample);
      stream.add(new ProducerRecord<>(samples, good, codec.encodeAvro(sample)));
      while (b < bad.size() && (long) b * 5000 < (long) (s + 1) * bad.size()) {
        stream.add(bad.get(b++));
      }
    }
    while (b < bad.size()) {
      stream.add(bad.get(b++));
    }

    try (Instance service = ExactlyOnceIT.start(config);
        KafkaProducer<byte[], byte[]> producer = producer()) {
      producer
          .send(
              new ProducerRecord<>(
                  prefix + ".models", good, GOOD_SPEC.getBytes(StandardCharsets.UTF_8)))
          .get();
      Thread.sleep(300);
      Set<KafkaStreams.State> states = new HashSet<>();
      for (var record : stream) {
        producer.send(record);
      }
      producer.flush();
      // The good model learns every good sample, then the dead letters are all there.
      long deadline = System.currentTimeMillis() + 120_000;
      while (service.service().metrics().predictions() < 5000
          || service.service().metrics().deadLetters() < totalBad) {
        states.add(service.service().streams().state());
        assertTrue(
            System.currentTimeMillis() < deadline,
            "processed in time: "
                + service.service().metrics().predictions()
                + " predictions, "
                + service.service().metrics().deadLetters()
                + " dead letters");
        Thread.sleep(100);
      }
      assertEquals(Set.of(KafkaStreams.State.RUNNING), states, "the service never stopped");
      assertEquals(KafkaStreams.State.RUNNING, service.service().streams().state());

      Map<ReasonCode, Integer> seen = new EnumMap<>(ReasonCode.class);
      Set<String> origins = new HashSet<>();
      AvroCodec<DeadLetter> deadLetters = new AvroCodec<>(DeadLetter.getClassSchema());
      for (ConsumerRecord<byte[], byte[]> record : readAll(prefix + ".dead-letters", totalBad)) {
        DeadLetter letter = deadLetters.decode(record.value());
        seen.merge(ReasonCode.valueOf(letter.getReason()), 1, Integer::sum);
        assertTrue(
            origins.add(letter.getTopic() + "/" + letter.getPartition() + "@" + letter.getOffset()),
            "each bad record once: " + letter);
        assertTrue(letter.getMessage().length() > 5);
      }
      assertEquals(expected, seen, "dead letters by reason");
      for (var entry : expected.entrySet()) {
        assertEquals(
            (long) entry.getValue(),
            service.service().metrics().deadLetters(entry.getKey()),
            "counter of " + entry.getKey());
      }
      String served =
          ItSupport.awaitModel(service.httpPort(), "good", 5000, Duration.ofSeconds(60));
      assertEquals(offline.modelFile(), served, "the model is what the good samples alone make");
      System.out.println("BadInputIT: 5000 good samples, " + totalBad + " bad records: " + byKind);
    }
  }

  @Test
  void shouldRefuseDivergingStepsAndKeepPredictionsFinite() throws Exception {
    String prefix = "diverge";
    createTopics(prefix);
    String spec =
        "{\"model\": \"wild\", \"layers\": [{\"in\": 2, \"out\": 8, \"activation\": \"relu\"},"
            + " {\"in\": 8, \"out\": 1, \"activation\": \"identity\"}], \"loss\": \"l2\","
            + " \"optimizer\": {\"type\": \"sgd\", \"learning_rate\": 1000000}, \"seed\": 1}";
    Configuration config =
        ExactlyOnceIT.config(broker.bootstrapServers(), prefix).with("loss.every.samples", "50");
    SampleDecoder codec = new SampleDecoder();
    SplittableRandom random = new SplittableRandom(2);
    int samples = 400;
    try (Instance service = ExactlyOnceIT.start(config);
        KafkaProducer<byte[], byte[]> producer = producer()) {
      byte[] key = "wild".getBytes(StandardCharsets.UTF_8);
      producer
          .send(
              new ProducerRecord<>(prefix + ".models", key, spec.getBytes(StandardCharsets.UTF_8)))
          .get();
      Thread.sleep(300);
      for (int s = 0; s < samples; s++) {
        double[] x = random.doubles(2, -10, 10).toArray();
        producer.send(
            new ProducerRecord<>(
                prefix + ".samples",
                key,
                codec.encodeAvro(new Sample("d" + s, x, new double[] {x[0] * 3}, 0))));
      }
      producer.flush();
      String model =
          ItSupport.awaitModel(service.httpPort(), "wild", samples, Duration.ofSeconds(60));
      for (double p : ModelFile.parse(model).parameters()) {
        assertTrue(Double.isFinite(p), "the model keeps finite weights");
      }
      AvroCodec<Prediction> predictions = new AvroCodec<>(Prediction.getClassSchema());
      int refusedPredictions = 0;
      for (var record : readAll(prefix + ".predictions", samples)) {
        Prediction prediction = predictions.decode(record.value());
        for (double output : prediction.getOutputs()) {
          assertTrue(Double.isFinite(output), "predictions stay finite: " + prediction);
        }
        refusedPredictions += "REFUSED".equals(prediction.getOutcome()) ? 1 : 0;
      }
      AvroCodec<LossReport> losses = new AvroCodec<>(LossReport.getClassSchema());
      LossReport last = null;
      for (var record : readAll(prefix + ".loss", samples / 50)) {
        last = losses.decode(record.value());
      }
      assertNotNull(last);
      assertTrue(last.getRefusedSteps() > 0, "the loss reports count the refusals: " + last);
      assertEquals(refusedPredictions, last.getRefusedSteps(), "every refused step is counted");
      System.out.println(
          "BadInputIT: divergence, "
              + last.getRefusedSteps()
              + " of "
              + samples
              + " steps refused");
    }
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "read-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4_000_000);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 60_000;
      while (System.currentTimeMillis() < deadline && records.size() < atLeast) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
    }
    return records;
  }
}
