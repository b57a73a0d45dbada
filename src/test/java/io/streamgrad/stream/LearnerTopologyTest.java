package io.streamgrad.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.avro.DeadLetter;
import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerCodec;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.ModelSpec;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.AvroCodec;
import io.streamgrad.records.OutputFormat;
import io.streamgrad.records.OutputRecords;
import io.streamgrad.records.SampleDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LearnerTopologyTest {
  static final String SPEC =
      """
      {"model": "m", "version": 1, "layers": [{"in": 3, "out": 5, "activation": "tanh"},
       {"in": 5, "out": 3, "activation": "softmax"}], "loss": "softmax_ce",
       "optimizer": {"type": "adam", "learning_rate": 0.01}, "minibatch": 2, "seed": 3}
      """;

  private final SampleDecoder sampleCodec = new SampleDecoder();
  private final AvroCodec<Prediction> predictionCodec =
      new AvroCodec<>(Prediction.getClassSchema());
  private final AvroCodec<LossReport> lossCodec = new AvroCodec<>(LossReport.getClassSchema());
  private final AvroCodec<DeadLetter> deadLetterCodec =
      new AvroCodec<>(DeadLetter.getClassSchema());
  private TopologyTestDriver driver;
  private StreamMetrics metrics;
  private TestInputTopic<byte[], byte[]> samples;
  private TestInputTopic<byte[], byte[]> models;
  private TestOutputTopic<byte[], byte[]> predictions;
  private TestOutputTopic<byte[], byte[]> losses;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void start() {
    start(StreamSettings.defaults().withLossCadence(3, 60_000));
  }

  void start(StreamSettings settings) {
    if (driver != null) {
      driver.close();
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    metrics = new StreamMetrics();
    driver = new TopologyTestDriver(StreamgradTopology.build(settings, metrics, props), props);
    ByteArraySerializer out = new ByteArraySerializer();
    ByteArrayDeserializer in = new ByteArrayDeserializer();
    samples = driver.createInputTopic(settings.samplesTopic(), out, out);
    models = driver.createInputTopic(settings.modelsTopic(), out, out);
    predictions = driver.createOutputTopic(settings.predictionsTopic(), in, in);
    losses = driver.createOutputTopic(settings.lossTopic(), in, in);
    deadLetters = driver.createOutputTopic(settings.deadLettersTopic(), in, in);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private static byte[] key(String model) {
    return model.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private ModelStore store() {
    return (ModelStore) driver.getStateStore(StreamSettings.STORE);
  }

  private List<Sample> randomSamples(int n) {
    SplittableRandom random = new SplittableRandom(5);
    Sample[] list = new Sample[n];
    for (int s = 0; s < n; s++) {
      list[s] =
          new Sample(
              "s" + s,
              random.doubles(3, -1, 1).toArray(),
              s % 5 == 4 ? null : new double[] {random.nextInt(3)},
              0);
    }
    return List.of(list);
  }

  @Test
  void shouldPredictThenTrainExactlyAsReplayDoes() {
    models.pipeInput(key("m"), json(SPEC));
    Learner offline = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    List<Sample> list = randomSamples(41);
    for (int s = 0; s < list.size(); s++) {
      // Alternate Avro and JSON on the same topic.
      Sample sample = list.get(s);
      byte[] value = s % 2 == 0 ? sampleCodec.encodeAvro(sample) : json(jsonOf(sample));
      samples.pipeInput(key("m"), value);
      LearnResult expected = offline.learn(sample);
      Prediction actual = predictionCodec.decode(predictions.readValue());
      assertEquals(sample.id(), actual.getSampleId());
      assertArrayEquals(expected.outputs(), doubles(actual.getOutputs()), 0.0);
      assertEquals(expected.step(), actual.getStep());
      assertEquals(expected.loss(), actual.getLoss());
      assertEquals(
          sample.isLabelled()
              ? "STEPPED|ACCUMULATED".contains(actual.getOutcome())
              : actual.getOutcome() == null,
          true);
    }
    assertEquals(offline.modelFile(), store().get("m").modelFile());
    assertArrayEquals(
        LearnerCodec.encode(offline),
        LearnerCodec.encode(store().get("m")),
        "the whole learner state, running statistics and metrics included, as replay's");
    assertTrue(deadLetters.isEmpty());
  }

  private static String jsonOf(Sample sample) {
    StringBuilder s = new StringBuilder("{\"id\": \"" + sample.id() + "\", \"features\": [");
    for (int i = 0; i < sample.features().length; i++) {
      s.append(i == 0 ? "" : ", ").append(sample.features()[i]);
    }
    s.append("]");
    if (sample.isLabelled()) {
      s.append(", \"label\": ").append(sample.label()[0]);
    }
    return s.append("}").toString();
  }

  @Test
  void shouldWriteTheWholeLearnerToTheChangelog() {
    models.pipeInput(key("m"), json(SPEC));
    for (Sample sample : randomSamples(7)) {
      samples.pipeInput(key("m"), sampleCodec.encodeAvro(sample));
    }
    TestOutputTopic<byte[], byte[]> changelog =
        driver.createOutputTopic(
            "test-models-changelog", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    var records = changelog.readKeyValuesToList();
    assertEquals(
        8,
        records.size(),
        "one record per commit that changed the model (the driver commits per record)");
    Learner restored = LearnerCodec.decode(records.get(records.size() - 1).value);
    assertEquals(store().get("m").modelFile(), restored.modelFile());
  }

  @Test
  void shouldCreateResetAndDeleteModelsFromSpecs() {
    models.pipeInput(key("m"), json(SPEC));
    for (Sample sample : randomSamples(6)) {
      samples.pipeInput(key("m"), sampleCodec.encodeAvro(sample));
    }
    assertTrue(store().get("m").steps() > 0);
    models.pipeInput(key("m"), json(SPEC)); // the same version again: no reset
    assertTrue(store().get("m").steps() > 0);
    models.pipeInput(key("m"), json(SPEC.replace("\"version\": 1", "\"version\": 2")));
    assertEquals(0, store().get("m").steps());
    assertEquals(2, store().get("m").spec().version());
    models.pipeInput(key("m"), (byte[]) null);
    assertNull(store().get("m"));
    predictions.readValuesToList();
    samples.pipeInput(key("m"), sampleCodec.encodeAvro(randomSamples(1).get(0)));
    assertTrue(predictions.isEmpty());
    assertTrue(deadLetters.isEmpty(), "a deleted model's sample waits for a new spec");
    driver.advanceWallClockTime(
        java.time.Duration.ofMillis(StreamSettings.defaults().unknownModelWaitMs() + 1000));
    assertEquals("UNKNOWN_MODEL", deadLetterCodec.decode(deadLetters.readValue()).getReason());
  }

  @Test
  void shouldDeadLetterAChangedSpecUnderTheSameVersionAndLeaveTheModelUntouched() {
    Learner offline = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    models.pipeInput(key("m"), json(SPEC));
    List<Sample> list = randomSamples(12);
    for (Sample sample : list.subList(0, 6)) {
      samples.pipeInput(key("m"), sampleCodec.encodeAvro(sample));
      offline.learn(sample);
    }
    models.pipeInput(key("m"), json(SPEC.replace("0.01", "0.05")));
    for (Sample sample : list.subList(6, 12)) {
      samples.pipeInput(key("m"), sampleCodec.encodeAvro(sample));
      offline.learn(sample);
    }
    DeadLetter letter = deadLetterCodec.decode(deadLetters.readValue());
    assertEquals("SPEC_VERSION_CONFLICT", letter.getReason());
    assertEquals(settingsModelsTopic(), letter.getTopic());
    assertTrue(
        letter.getMessage().contains("optimizer.learning_rate")
            && letter.getMessage().contains("keeps its current spec")
            && letter.getMessage().contains("another version"),
        letter.getMessage());
    assertTrue(deadLetters.isEmpty());
    assertEquals(
        offline.modelFile(),
        store().get("m").modelFile(),
        "bit-identical to a learner that never saw the conflicting spec");
  }

  private static String settingsModelsTopic() {
    return StreamSettings.defaults().modelsTopic();
  }

  @Test
  void shouldIgnoreTheSameSpecSentAgainWithoutResettingTheModel() {
    Learner offline = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    models.pipeInput(key("m"), json(SPEC));
    List<Sample> list = randomSamples(12);
    for (Sample sample : list.subList(0, 6)) {
      samples.pipeInput(key("m"), sampleCodec.encodeAvro(sample));
      offline.learn(sample);
    }
    // The same spec, as written with every default filled in: the same content.
    models.pipeInput(key("m"), json(ModelFile.toJson(ModelFile.specNode(ModelFile.parse(SPEC)))));
    models.pipeInput(key("m"), json(SPEC));
    for (Sample sample : list.subList(6, 12)) {
      samples.pipeInput(key("m"), sampleCodec.encodeAvro(sample));
      offline.learn(sample);
    }
    assertTrue(deadLetters.isEmpty());
    assertEquals(offline.modelFile(), store().get("m").modelFile());
  }

  @Test
  void shouldIgnoreAWarmStartSpecSentAgainUnderItsVersion() {
    String warm = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT).modelFile();
    Learner offline = Learner.create(ModelFile.parse(warm), StatsSettings.DEFAULT);
    models.pipeInput(key("m"), json(warm));
    Sample sample = randomSamples(1).get(0);
    samples.pipeInput(key("m"), sampleCodec.encodeAvro(sample));
    offline.learn(sample);
    models.pipeInput(key("m"), json(warm));
    assertTrue(deadLetters.isEmpty(), "weights are a starting point, not the spec's content");
    assertEquals(offline.modelFile(), store().get("m").modelFile());
  }

  @Test
  void shouldLearnSamplesThatCameBeforeTheirSpecOnceItArrivesInTheirOrder() {
    List<Sample> list = randomSamples(9);
    for (Sample sample : list.subList(0, 6)) {
      samples.pipeInput(key("m"), sampleCodec.encodeAvro(sample));
    }
    assertTrue(predictions.isEmpty());
    assertTrue(deadLetters.isEmpty());
    assertNull(store().get("m"));
    assertEquals(6, metrics.waiting());

    models.pipeInput(key("m"), json(SPEC));
    for (Sample sample : list.subList(6, 9)) {
      samples.pipeInput(key("m"), sampleCodec.encodeAvro(sample));
    }
    Learner offline = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    List<Prediction> out =
        predictions.readValuesToList().stream().map(predictionCodec::decode).toList();
    assertEquals(list.size(), out.size());
    for (int s = 0; s < list.size(); s++) {
      LearnResult expected = offline.learn(list.get(s));
      assertEquals(list.get(s).id(), out.get(s).getSampleId());
      assertArrayEquals(expected.outputs(), doubles(out.get(s).getOutputs()), 0.0);
    }
    assertEquals(
        offline.modelFile(), store().get("m").modelFile(), "as if the spec had come first");
    assertEquals(0, metrics.waiting());
    driver.advanceWallClockTime(java.time.Duration.ofMinutes(5));
    assertTrue(deadLetters.isEmpty(), "nothing is left waiting");
  }

  @Test
  void shouldSendSamplesWhoseSpecNeverCameToTheDeadLetterTopic() {
    start(StreamSettings.defaults().withUnknownModelWait(1000, 1 << 20));
    samples.pipeInput(key("ghost"), sampleCodec.encodeAvro(randomSamples(1).get(0)));
    driver.advanceWallClockTime(java.time.Duration.ofMillis(400));
    samples.pipeInput(key("ghost"), sampleCodec.encodeAvro(randomSamples(2).get(1)));
    driver.advanceWallClockTime(java.time.Duration.ofMillis(400));
    assertTrue(deadLetters.isEmpty(), "still within the wait");
    driver.advanceWallClockTime(java.time.Duration.ofMillis(500));
    List<DeadLetter> first =
        deadLetters.readValuesToList().stream().map(deadLetterCodec::decode).toList();
    assertEquals(1, first.size(), "only the sample that waited 1300 ms");
    assertEquals("UNKNOWN_MODEL", first.get(0).getReason());
    assertEquals(0L, first.get(0).getOffset(), "with the offset it came from");
    assertTrue(
        first.get(0).getMessage().contains("unknown.model.wait.ms"), first.get(0).getMessage());
    driver.advanceWallClockTime(java.time.Duration.ofMillis(500));
    assertEquals(1L, deadLetterCodec.decode(deadLetters.readValue()).getOffset());
    models.pipeInput(key("ghost"), json(SPEC.replace("\"m\"", "\"ghost\"")));
    assertTrue(predictions.isEmpty(), "expired samples are not learnt later");
  }

  @Test
  void shouldSendASampleToTheDeadLetterTopicAtOnceWhenTheWaitingRoomIsFull() {
    byte[] value = sampleCodec.encodeAvro(randomSamples(1).get(0));
    start(StreamSettings.defaults().withUnknownModelWait(60_000, value.length + 10));
    samples.pipeInput(key("a"), value);
    assertTrue(deadLetters.isEmpty());
    samples.pipeInput(key("b"), value);
    DeadLetter letter = deadLetterCodec.decode(deadLetters.readValue());
    assertEquals("UNKNOWN_MODEL", letter.getReason());
    assertTrue(letter.getMessage().contains("unknown.model.wait.max.bytes"), letter.getMessage());
    models.pipeInput(key("a"), json(SPEC.replace("\"m\"", "\"a\"")));
    assertEquals(1, predictions.readValuesToList().size(), "the one that waited is learnt");
  }

  @Test
  void shouldUseTheDefaultSpecForAModelWithoutOne() {
    ModelSpec spec = ModelFile.parse(SPEC);
    start(StreamSettings.defaults().withDefaultSpec(spec));
    samples.pipeInput(key("new-model"), sampleCodec.encodeAvro(randomSamples(1).get(0)));
    assertEquals("new-model", predictionCodec.decode(predictions.readValue()).getModel());
    assertNotNull(store().get("new-model"));
  }

  @Test
  void shouldSendEveryUnusableRecordToTheDeadLetterTopicWithItsReason() {
    start(
        StreamSettings.defaults()
            .withLossCadence(3, 60_000)
            .withUnknownModelWait(0, 0)); // no waiting
    models.pipeInput(key("m"), json(SPEC));
    byte[] goodAvro = sampleCodec.encodeAvro(randomSamples(1).get(0));
    byte[] unknownFingerprint = goodAvro.clone();
    unknownFingerprint[4] ^= 0x3C;
    samples.pipeInput(key("m"), new byte[] {1, 2, 3});
    samples.pipeInput(key("m"), new byte[0]);
    samples.pipeInput(key("m"), java.util.Arrays.copyOf(goodAvro, goodAvro.length - 10));
    samples.pipeInput(key("m"), unknownFingerprint);
    samples.pipeInput(key("m"), json("{\"features\": [1, 2"));
    samples.pipeInput((byte[]) null, goodAvro);
    samples.pipeInput(key("nobody"), goodAvro);
    samples.pipeInput(key("m"), json("{\"id\": \"w\", \"features\": [1, 2], \"label\": 1}"));
    samples.pipeInput(
        key("m"), json("{\"id\": \"n\", \"features\": [1, \"NaN\", 2], \"label\": 1}"));
    samples.pipeInput(
        key("m"), json("{\"id\": \"l\", \"features\": [1, 0, 2], \"label\": \"Infinity\"}"));
    samples.pipeInput(key("m"), json("{\"id\": \"c\", \"features\": [1, 0, 2], \"label\": 7}"));
    samples.pipeInput(key("m"), new byte[1_000_001]);
    models.pipeInput(key("bad"), json("{\"model\": \"bad\", \"layers\": [], \"loss\": \"l2\"}"));
    models.pipeInput(key("other"), json(SPEC));
    List<String> reasons =
        deadLetters.readValuesToList().stream()
            .map(bytes -> deadLetterCodec.decode(bytes).getReason())
            .toList();
    assertEquals(
        List.of(
            "UNDECODABLE",
            "UNDECODABLE",
            "UNDECODABLE",
            "UNKNOWN_SCHEMA",
            "MALFORMED_JSON",
            "NULL_KEY",
            "UNKNOWN_MODEL",
            "WRONG_FEATURE_COUNT",
            "NON_FINITE_FEATURE",
            "NON_FINITE_LABEL",
            "BAD_LABEL",
            "RECORD_TOO_LARGE",
            "INVALID_SPEC",
            "INVALID_SPEC"),
        reasons);
    assertEquals(0, store().get("m").stats().samples(), "no model was touched");
    assertTrue(predictions.isEmpty());
  }

  @Test
  void shouldDeadLetterASampleWeightThatIsNegativeOrNotFiniteInJsonAndAvro() {
    models.pipeInput(key("m"), json(SPEC));
    samples.pipeInput(
        key("m"), json("{\"id\": \"w\", \"features\": [1, 0, 2], \"label\": 1, \"weight\": -1}"));
    samples.pipeInput(
        key("m"),
        sampleCodec.encodeAvro(
            new Sample("w2", new double[] {1, 0, 2}, new double[] {1}, 0, Double.NaN)));
    List<String> reasons =
        deadLetters.readValuesToList().stream()
            .map(bytes -> deadLetterCodec.decode(bytes).getReason())
            .toList();
    assertEquals(List.of("BAD_WEIGHT", "BAD_WEIGHT"), reasons);
    assertEquals(0, store().get("m").stats().samples(), "no model was touched");
  }

  @Test
  void shouldReportTheLossEveryNSamples() {
    models.pipeInput(key("m"), json(SPEC));
    for (Sample sample : randomSamples(7)) {
      samples.pipeInput(key("m"), sampleCodec.encodeAvro(sample));
    }
    List<LossReport> reports = losses.readValuesToList().stream().map(lossCodec::decode).toList();
    assertEquals(2, reports.size());
    assertEquals(3, reports.get(0).getSamples());
    assertEquals(6, reports.get(1).getSamples());
    assertNotNull(reports.get(1).getMeanLoss());
    assertNotNull(reports.get(1).getErrorRate());
    Learner offline = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    randomSamples(6).forEach(offline::learn);
    LossReport expected = OutputRecords.lossReport("m", offline, reports.get(1).getTime());
    assertEquals(expected, reports.get(1), "the report of a replay of the same samples");
    assertEquals(0.01, reports.get(1).getLearningRate());
    assertNotNull(reports.get(1).getWindowMacroF1());
  }

  @Test
  void shouldReportAtLeastEveryTMillisecondsWhileLearning() {
    start(StreamSettings.defaults().withLossCadence(1000, 500));
    models.pipeInput(key("m"), json(SPEC));
    samples.pipeInput(key("m"), sampleCodec.encodeAvro(randomSamples(1).get(0)));
    assertTrue(losses.isEmpty());
    driver.advanceWallClockTime(java.time.Duration.ofMillis(600));
    assertEquals(1, lossCodec.decode(losses.readValue()).getSamples());
    driver.advanceWallClockTime(java.time.Duration.ofMillis(600));
    assertTrue(losses.isEmpty(), "no report while the model does not learn");
  }

  @Test
  void shouldWriteJsonWhenAsked() {
    start(StreamSettings.defaults().withOutputFormat(OutputFormat.JSON));
    models.pipeInput(key("m"), json(SPEC));
    samples.pipeInput(key("m"), sampleCodec.encodeAvro(randomSamples(1).get(0)));
    String text = new String(predictions.readValue(), StandardCharsets.UTF_8);
    assertTrue(text.startsWith("{") && text.contains("\"sample_id\":\"s0\""), text);
  }

  private static double[] doubles(java.util.List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void shouldTakeASpecOverTheSampleLimitUpToTheModelLimit() {
    String padding = "x".repeat(1_200_000);
    String big = SPEC.strip();
    big = big.substring(0, big.length() - 1) + ", \"metadata\": {\"note\": \"" + padding + "\"}}";
    models.pipeInput(key("m"), json(big));
    assertTrue(deadLetters.isEmpty(), "a 1.2 MB spec is under model.max.bytes");
    assertTrue(store().get("m") != null, "and applied");

    models.pipeInput(key("n"), new byte[StreamSettings.defaults().maxModelBytes() + 1]);
    DeadLetter letter = deadLetterCodec.decode(deadLetters.readValue());
    assertEquals("RECORD_TOO_LARGE", letter.getReason().toString());
    assertTrue(letter.getMessage().toString().contains("(model.max.bytes)"), letter.toString());
  }

  @Test
  void shouldKeepTheFirstMebibyteOfALargeRejectedSpecInItsDeadLetter() {
    String padding = "x".repeat(1_500_000);
    String big = SPEC.strip().replace("\"softmax_ce\"", "\"no_such_loss\"");
    big = big.substring(0, big.length() - 1) + ", \"metadata\": {\"note\": \"" + padding + "\"}}";
    models.pipeInput(key("m"), json(big));
    DeadLetter letter = deadLetterCodec.decode(deadLetters.readValue());
    assertEquals(OutputRecords.MAX_KEPT_BYTES, letter.getValue().remaining());
    assertTrue(
        letter.getMessage().toString().contains("keeps the first 1048576 of "), letter.toString());
  }
}
