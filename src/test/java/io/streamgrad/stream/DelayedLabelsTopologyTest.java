package io.streamgrad.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.avro.DeadLetter;
import io.streamgrad.avro.Event;
import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.Outcome;
import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.Label;
import io.streamgrad.learn.LabelResult;
import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerCodec;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.ModelSpec;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.Served;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.AvroCodec;
import io.streamgrad.records.LabelDecoder;
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

/** Samples whose labels come later: the pending store, outcomes, dead letters, expiry, bounds. */
class DelayedLabelsTopologyTest {
  static final long WAIT = 10_000;
  static final String SPEC =
      """
      {"model": "m", "version": 1, "layers": [{"in": 3, "out": 5, "activation": "tanh"},
       {"in": 5, "out": 3, "activation": "softmax"}], "loss": "softmax_ce",
       "optimizer": {"type": "adam", "learning_rate": 0.05}, "seed": 3, "label_wait_ms": 10000}
      """;

  private final SampleDecoder sampleCodec = new SampleDecoder();
  private final LabelDecoder labelCodec = new LabelDecoder();
  private final AvroCodec<Prediction> predictionCodec =
      new AvroCodec<>(Prediction.getClassSchema());
  private final AvroCodec<Outcome> outcomeCodec = new AvroCodec<>(Outcome.getClassSchema());
  private final AvroCodec<Event> eventCodec = new AvroCodec<>(Event.getClassSchema());
  private final AvroCodec<LossReport> lossCodec = new AvroCodec<>(LossReport.getClassSchema());
  private final AvroCodec<DeadLetter> deadLetterCodec =
      new AvroCodec<>(DeadLetter.getClassSchema());
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> samples;
  private TestInputTopic<byte[], byte[]> labels;
  private TestInputTopic<byte[], byte[]> models;
  private TestOutputTopic<byte[], byte[]> predictions;
  private TestOutputTopic<byte[], byte[]> outcomes;
  private TestOutputTopic<byte[], byte[]> losses;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private final SplittableRandom random = new SplittableRandom(11);

  @BeforeEach
  void start() {
    start(StreamSettings.defaults().withLossCadence(1_000_000, 3_600_000));
  }

  private void start(StreamSettings settings) {
    if (driver != null) {
      driver.close();
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    driver =
        new TopologyTestDriver(
            StreamgradTopology.build(settings, new StreamMetrics(), props), props);
    ByteArraySerializer out = new ByteArraySerializer();
    ByteArrayDeserializer in = new ByteArrayDeserializer();
    samples = driver.createInputTopic(settings.samplesTopic(), out, out);
    labels = driver.createInputTopic(settings.labels().labelsTopic(), out, out);
    models = driver.createInputTopic(settings.modelsTopic(), out, out);
    predictions = driver.createOutputTopic(settings.predictionsTopic(), in, in);
    outcomes = driver.createOutputTopic(settings.labels().outcomesTopic(), in, in);
    losses = driver.createOutputTopic(settings.lossTopic(), in, in);
    deadLetters = driver.createOutputTopic(settings.deadLettersTopic(), in, in);
    models.pipeInput(key(), SPEC.getBytes(StandardCharsets.UTF_8), 0);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private static byte[] key() {
    return "m".getBytes(StandardCharsets.UTF_8);
  }

  private Sample sample(String id, double[] label) {
    return new Sample(id, random.doubles(3, -1, 1).toArray(), label, 0);
  }

  private void sendSample(Sample sample, long time) {
    samples.pipeInput(key(), sampleCodec.encodeAvro(sample), time);
  }

  private void sendLabel(String id, double label, long time) {
    labels.pipeInput(key(), labelJson(id, label), time);
  }

  private static byte[] labelJson(String id, double label) {
    return ("{\"id\": \"" + id + "\", \"label\": " + label + "}").getBytes(StandardCharsets.UTF_8);
  }

  private Learner offline() {
    return Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
  }

  private ModelStore store() {
    return (ModelStore) driver.getStateStore(StreamSettings.STORE);
  }

  private DeadLetter onlyDeadLetter() {
    List<byte[]> letters = deadLetters.readValuesToList();
    assertEquals(1, letters.size(), "one dead letter");
    return deadLetterCodec.decode(letters.get(0));
  }

  @Test
  void shouldScoreThePredictionThatWasServedNotTheModelOfNow() {
    Sample late = sample("late", null);
    sendSample(late, 1_000);
    Prediction served = predictionCodec.decode(predictions.readValue());
    for (int i = 0; i < 5; i++) {
      sendSample(sample("x" + i, new double[] {i % 3}), 1_100 + i);
    }
    sendLabel("late", 2, 2_000);

    Learner atServe = offline();
    atServe.learn(new Sample("late", late.features(), new double[] {2}, 0));
    Outcome outcome = outcomeCodec.decode(outcomes.readValue());
    assertArrayEquals(doubles(served.getOutputs()), doubles(outcome.getOutputs()), 0.0);
    assertEquals(atServe.stats().meanLoss(), outcome.getLoss(), 0.0, "the served outputs' loss");
  }

  @Test
  void shouldTrainOnTheStoredFeaturesWithTheCurrentWeights() {
    Learner offline = offline();
    Sample late = sample("late", null);
    sendSample(late, 1_000);
    LearnResult lateResult = offline.learn(late);
    Served served = offline.served(late, lateResult, 1_000);
    for (int i = 0; i < 5; i++) {
      Sample labelled = sample("x" + i, new double[] {i % 3});
      sendSample(labelled, 1_100 + i);
      offline.learn(labelled);
    }
    sendLabel("late", 1, 2_000);
    offline.learnLabel(served, new Label("late", new double[] {1}, 0), 1_000);

    assertArrayEquals(
        LearnerCodec.encode(offline),
        LearnerCodec.encode(store().get("m")),
        "weights, optimizer, statistics and label counts as the learner's own learnLabel");
  }

  @Test
  void shouldWriteEveryFieldOfTheOutcome() {
    sendSample(sample("a", null), 1_000);
    sendSample(sample("b", new double[] {0}), 1_500);
    sendLabel("a", 2, 4_000);

    Outcome outcome = outcomeCodec.decode(outcomes.readValue());
    assertEquals("m", outcome.getModel());
    assertEquals("a", outcome.getSampleId());
    assertEquals(3, outcome.getOutputs().size());
    assertTrue(outcome.getDecision() >= 0 && outcome.getDecision() < 3);
    assertEquals(List.of(2.0), outcome.getLabel());
    assertTrue(outcome.getLoss() > 0);
    assertEquals(0, outcome.getServedStep());
    assertEquals(1, outcome.getServedVersion());
    assertEquals(1, outcome.getTrainedStep(), "one labelled sample trained in between");
    assertEquals(1, outcome.getTrainedVersion());
    assertEquals("STEPPED", outcome.getOutcome());
    assertEquals(3_000, outcome.getDelayMs());
    assertEquals(4_000, outcome.getTime());
    assertTrue(outcomes.isEmpty(), "one outcome per label");
  }

  @Test
  void shouldDeadLetterASecondLabelAsAlreadyLabelled() {
    sendSample(sample("a", null), 1_000);
    sendLabel("a", 2, 2_000);
    sendLabel("a", 1, 3_000);

    assertEquals(1, outcomes.readValuesToList().size());
    DeadLetter letter = onlyDeadLetter();
    assertEquals(ReasonCode.LABEL_NOT_PENDING.name(), letter.getReason());
    assertTrue(letter.getMessage().contains("already labelled"), letter.getMessage());
  }

  @Test
  void shouldDeadLetterALabelThatCameAfterTheWait() {
    sendSample(sample("a", null), 1_000);
    sendLabel("a", 2, 1_000 + WAIT + 1);

    assertTrue(outcomes.isEmpty());
    DeadLetter letter = onlyDeadLetter();
    assertEquals(ReasonCode.LABEL_NOT_PENDING.name(), letter.getReason());
    assertTrue(letter.getMessage().contains("expired"), letter.getMessage());
  }

  @Test
  void shouldDeadLetterALabelWhoseSampleNeverCameOnceItsWaitIsOver() {
    sendLabel("ghost", 2, 1_000);
    assertTrue(deadLetters.isEmpty(), "a label may overtake its sample: it waits first");
    sendSample(sample("other", new double[] {1}), 1_000 + WAIT + 1);

    DeadLetter letter = onlyDeadLetter();
    assertEquals(ReasonCode.LABEL_NOT_PENDING.name(), letter.getReason());
    assertTrue(letter.getMessage().contains("no sample 'ghost'"), letter.getMessage());
    assertEquals("streamgrad.labels", letter.getTopic());
    assertArrayEquals(labelJson("ghost", 2), letter.getValue().array());
  }

  @Test
  void shouldDeadLetterALabelForAModelThatDoesNotWaitForLabels() {
    models.pipeInput(
        key(),
        SPEC.replace(", \"label_wait_ms\": 10000", "")
            .replace("\"version\": 1", "\"version\": 2")
            .getBytes(StandardCharsets.UTF_8),
        500);
    sendSample(sample("a", null), 1_000);
    sendLabel("a", 2, 2_000);

    DeadLetter letter = onlyDeadLetter();
    assertEquals(ReasonCode.LABEL_NOT_PENDING.name(), letter.getReason());
    assertTrue(letter.getMessage().contains("label_wait_ms is 0"), letter.getMessage());
  }

  @Test
  void shouldDeadLetterALabelForASampleServedByAnotherVersion() {
    sendSample(sample("a", null), 1_000);
    models.pipeInput(
        key(),
        SPEC.replace("\"version\": 1", "\"version\": 2").getBytes(StandardCharsets.UTF_8),
        1_500);
    sendLabel("a", 2, 2_000);

    DeadLetter letter = onlyDeadLetter();
    assertEquals(ReasonCode.LABEL_NOT_PENDING.name(), letter.getReason());
    assertTrue(letter.getMessage().contains("served by spec version 1"), letter.getMessage());
  }

  @Test
  void shouldDeadLetterALabelTheLossCannotTakeAndKeepItsSamplePending() {
    sendSample(sample("a", null), 1_000);
    sendLabel("a", 7, 2_000); // three classes: 7 is none of them
    assertEquals(ReasonCode.BAD_LABEL.name(), onlyDeadLetter().getReason());

    sendLabel("a", 1, 3_000);
    assertEquals("a", outcomeCodec.decode(outcomes.readValue()).getSampleId());
  }

  @Test
  void shouldDeadLetterANonFiniteLabelAndKeepItsSamplePending() {
    sendSample(sample("a", null), 1_000);
    labels.pipeInput(
        key(), "{\"id\": \"a\", \"label\": \"NaN\"}".getBytes(StandardCharsets.UTF_8), 2_000);
    assertEquals(ReasonCode.NON_FINITE_LABEL.name(), onlyDeadLetter().getReason());

    sendLabel("a", 1, 3_000);
    assertEquals("a", outcomeCodec.decode(outcomes.readValue()).getSampleId());
  }

  @Test
  void shouldExpireAPendingSampleByRecordTimeAndCountIt() {
    start(StreamSettings.defaults().withLossCadence(1, 3_600_000));
    sendSample(sample("a", null), 1_000);
    sendSample(sample("b", null), 1_000 + WAIT);
    assertEquals(2, lastReport().getPending(), "the wait is not over at its last ms");
    sendSample(sample("c", null), 1_000 + WAIT + 1);

    LossReport report = lastReport();
    assertEquals(1, report.getExpired());
    assertEquals(2, report.getPending());
    assertEquals(1, store().get("m").labelStats().expired());
  }

  @Test
  void shouldReportSamplesThatExpireTogetherAsOneEvent() {
    TestOutputTopic<byte[], byte[]> events =
        driver.createOutputTopic(
            StreamSettings.defaults().eventsTopic(),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    sendSample(sample("a", null), 1_000);
    sendSample(sample("b", null), 1_001);
    sendSample(sample("c", null), 1_002);
    events.readValuesToList(); // the spec's
    sendSample(sample("d", null), 1_002 + WAIT + 1);

    List<byte[]> written = events.readValuesToList();
    assertEquals(1, written.size(), "one event for the three");
    Event event = eventCodec.decode(written.get(0));
    assertEquals("PENDING_LABELS_EXPIRED", event.getType());
    assertEquals(3.0, event.getEvidence().get("expired"));
    assertEquals(0.0, event.getEvidence().get("dropped"));
    assertEquals(null, event.getSampleId());
    assertEquals(1_002 + WAIT + 1, event.getTime());
  }

  @Test
  void shouldDropTheSampleNearestItsDeadlineWhenThePendingStoreIsFull() {
    // One served entry of this model is 25 + 28 + 8·(3 + 3 + 3) + 12 = 137 bytes, its key 10.
    start(
        StreamSettings.defaults()
            .withLossCadence(1, 3_600_000)
            .withLabels(new LabelSettings("streamgrad.labels", "streamgrad.outcomes", 300)));
    sendSample(sample("s1", null), 1_000);
    sendSample(sample("s2", null), 1_001);
    sendSample(sample("s3", null), 1_002);

    LossReport report = lastReport();
    assertEquals(1, report.getDropped());
    assertEquals(2, report.getPending());
    sendLabel("s2", 1, 1_100);
    assertEquals("s2", outcomeCodec.decode(outcomes.readValue()).getSampleId());
    sendLabel("s1", 1, 1_100);
    assertTrue(outcomes.isEmpty(), "s1 was dropped: its label waits for a sample that is gone");
  }

  @Test
  void shouldDeadLetterAWaitingLabelDroppedWhenThePendingStoreIsFull() {
    // The waiting label takes 151 bytes (key, header, label, its record), the sample 144: 290 fits
    // either, not both.
    start(
        StreamSettings.defaults()
            .withLabels(new LabelSettings("streamgrad.labels", "streamgrad.outcomes", 290)));
    sendLabel("ghost", 1, 1_000); // waits for its sample, with the earliest deadline
    sendSample(sample("s1", null), 1_001);

    DeadLetter letter = onlyDeadLetter();
    assertEquals(ReasonCode.LABEL_NOT_PENDING.name(), letter.getReason());
    assertTrue(letter.getMessage().contains("label.pending.max.bytes"), letter.getMessage());
    assertArrayEquals(labelJson("ghost", 1), letter.getValue().array());
  }

  @Test
  void shouldApplyALabelThatCameBeforeItsSampleWhenTheSampleComes() {
    Learner offline = offline();
    sendLabel("a", 2, 1_000);
    assertTrue(outcomes.isEmpty());
    Sample a = sample("a", null);
    sendSample(a, 1_200);
    LearnResult result = offline.learn(a);
    LabelResult expected =
        offline.learnLabel(
            offline.served(a, result, 1_200), new Label("a", new double[] {2}, 0), -200);

    Outcome outcome = outcomeCodec.decode(outcomes.readValue());
    assertEquals(0, outcome.getDelayMs(), "the label came first");
    assertEquals(expected.loss(), outcome.getLoss());
    assertEquals(1, predictions.readValuesToList().size(), "one prediction for the sample");
    assertArrayEquals(LearnerCodec.encode(offline), LearnerCodec.encode(store().get("m")));
    assertTrue(deadLetters.isEmpty());
  }

  @Test
  void shouldLetALabelWaitForItsModelsSpecAsASampleDoes() {
    byte[] other = "n".getBytes(StandardCharsets.UTF_8);
    labels.pipeInput(other, labelJson("a", 2), 1_000);
    models.pipeInput(
        other,
        SPEC.replace("\"model\": \"m\"", "\"model\": \"n\"").getBytes(StandardCharsets.UTF_8),
        1_100);
    samples.pipeInput(other, sampleCodec.encodeAvro(sample("a", null)), 1_200);

    Outcome outcome = outcomeCodec.decode(outcomes.readValue());
    assertEquals("n", outcome.getModel());
    assertEquals("a", outcome.getSampleId());
    assertTrue(deadLetters.isEmpty());
  }

  @Test
  void shouldTakeLabelsOnTheSamplesTopicInJsonAndAvro() {
    sendSample(sample("a", null), 1_000);
    sendSample(sample("b", null), 1_001);
    samples.pipeInput(key(), labelJson("a", 1), 1_100);
    samples.pipeInput(key(), labelCodec.encodeAvro(new Label("b", new double[] {2}, 0)), 1_101);

    List<byte[]> written = outcomes.readValuesToList();
    assertEquals(2, written.size());
    assertEquals("a", outcomeCodec.decode(written.get(0)).getSampleId());
    assertEquals("b", outcomeCodec.decode(written.get(1)).getSampleId());
    assertEquals(List.of(2.0), outcomeCodec.decode(written.get(1)).getLabel());
    assertTrue(deadLetters.isEmpty());
  }

  @Test
  void shouldKeepTodaysBitsForSamplesThatCarryTheirLabel() {
    ModelSpec withoutWait = ModelFile.parse(SPEC.replace(", \"label_wait_ms\": 10000", ""));
    Learner offline = Learner.create(withoutWait, StatsSettings.DEFAULT);
    for (int i = 0; i < 30; i++) {
      Sample labelled = sample("x" + i, new double[] {i % 3});
      sendSample(labelled, 1_000 + i);
      LearnResult expected = offline.learn(labelled);
      Prediction actual = predictionCodec.decode(predictions.readValue());
      assertArrayEquals(expected.outputs(), doubles(actual.getOutputs()), 0.0);
      assertEquals(expected.loss(), actual.getLoss());
    }
    Learner streamed = store().get("m");
    assertArrayEquals(offline.parametersCopy(), streamed.parametersCopy());
    assertEquals(offline.stats().meanLoss(), streamed.stats().meanLoss(), 0.0);
    assertTrue(outcomes.isEmpty());
    PendingStore entries = (PendingStore) driver.getStateStore(StreamSettings.PENDING_STORE);
    assertEquals(0, entries.size(), "nothing pending: every sample had its label");
  }

  @Test
  void shouldSendEachPendingChangeToTheChangelogInTheCommitOfItsRecord() {
    ByteArrayDeserializer in = new ByteArrayDeserializer();
    TestOutputTopic<byte[], byte[]> changelog =
        driver.createOutputTopic("test-" + StreamSettings.PENDING_STORE + "-changelog", in, in);
    sendSample(sample("a", null), 1_000);
    List<byte[]> served = changelog.readValuesToList();
    sendLabel("a", 1, 1_500);
    List<byte[]> labelled = changelog.readValuesToList();
    // The first byte of an entry is its kind: 1 a served sample, 3 the marker that it was labelled.
    assertEquals(1, served.size());
    assertEquals(1, served.get(0)[0]);
    assertEquals(1, labelled.size());
    assertEquals(3, labelled.get(0)[0]);
  }

  private LossReport lastReport() {
    List<byte[]> all = losses.readValuesToList();
    return lossCodec.decode(all.get(all.size() - 1));
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
