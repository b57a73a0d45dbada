package io.streamgrad.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.avro.DeadLetter;
import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerCodec;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.NamedInputFixtures;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.AvroCodec;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.records.SampleFile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Named, raw-scale samples through the topology: the same model as replay's, bit for bit, across a
 * restart from the changelog; bad input in the dead-letter topic with the input's name.
 */
class NamedInputsTopologyTest {
  /** Minibatches of 2, so a restart falls inside one. */
  private static final String SPEC =
      NamedInputFixtures.SPEC.replace("\"seed\": 9", "\"seed\": 9, \"minibatch\": 2");

  private static final String MODEL = "credit";
  private final AvroCodec<Prediction> predictionCodec =
      new AvroCodec<>(Prediction.getClassSchema());
  private final AvroCodec<DeadLetter> deadLetterCodec =
      new AvroCodec<>(DeadLetter.getClassSchema());
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> samples;
  private TestInputTopic<byte[], byte[]> models;
  private TestOutputTopic<byte[], byte[]> predictions;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private TestOutputTopic<byte[], byte[]> changelog;
  private StreamMetrics metrics;

  private void start() {
    StreamSettings settings = StreamSettings.defaults().withUnknownModelWait(0, 0);
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
    deadLetters = driver.createOutputTopic(settings.deadLettersTopic(), in, in);
    changelog = driver.createOutputTopic("test-models-changelog", in, in);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private ModelStore store() {
    return (ModelStore) driver.getStateStore(StreamSettings.STORE);
  }

  /** The samples as JSON lines, and as replay reads them back from a .jsonl file. */
  private static List<String> lines(List<Sample> list) {
    return list.stream().map(SampleFile::toJson).toList();
  }

  private static List<Sample> replayRead(List<String> lines) throws Exception {
    List<Sample> read = new ArrayList<>();
    SampleFile.read(
        new ByteArrayInputStream(bytes(String.join("\n", lines))),
        SampleFile.Format.JSON_LINES,
        null,
        line -> read.add(line.sample()));
    return read;
  }

  @Test
  void shouldLearnNamedSamplesAsReplayDoesAcrossARestartFromTheChangelog() throws Exception {
    start();
    models.pipeInput(bytes(MODEL), bytes(SPEC));
    List<String> lines = lines(NamedInputFixtures.samples(81, 11));
    Learner replay = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    List<Sample> read = replayRead(lines);
    for (int s = 0; s < 41; s++) {
      samples.pipeInput(bytes(MODEL), bytes(lines.get(s)));
      assertArrayEquals(
          replay.learn(read.get(s)).outputs(),
          doubles(predictionCodec.decode(predictions.readValue()).getOutputs()),
          0.0);
    }
    var checkpoints = changelog.readValuesToList();
    byte[] lastCheckpoint = checkpoints.get(checkpoints.size() - 1);
    driver.close();

    // A new instance: its store restores the model from the changelog (what ModelStore's restore
    // callback does with each changelog record), then takes the rest of the stream.
    start();
    store().put(MODEL, LearnerCodec.decode(lastCheckpoint));
    for (int s = 41; s < lines.size(); s++) {
      samples.pipeInput(bytes(MODEL), bytes(lines.get(s)));
      assertArrayEquals(
          replay.learn(read.get(s)).outputs(),
          doubles(predictionCodec.decode(predictions.readValue()).getOutputs()),
          0.0);
    }
    assertArrayEquals(LearnerCodec.encode(replay), LearnerCodec.encode(store().get(MODEL)));
    assertEquals(replay.modelFile(), store().get(MODEL).modelFile());
    assertTrue(deadLetters.isEmpty());
  }

  @Test
  void shouldContinueFromAnExportedModelFileAsReplayDoes() throws Exception {
    start();
    models.pipeInput(bytes(MODEL), bytes(SPEC));
    List<String> lines = lines(NamedInputFixtures.samples(80, 14));
    for (String line : lines.subList(0, 40)) {
      samples.pipeInput(bytes(MODEL), bytes(line));
    }
    // An export (GET /models/{id}) published again as a new version: a warm start that brings
    // the weights, the optimizer state and the statistics of the inputs.
    String export = store().get(MODEL).modelFile().replace("\"version\" : 1", "\"version\" : 2");
    models.pipeInput(bytes(MODEL), bytes(export));
    Learner replay = Learner.create(ModelFile.parse(export), StatsSettings.DEFAULT);
    predictions.readValuesToList();
    List<Sample> read = replayRead(lines);
    for (int s = 40; s < lines.size(); s++) {
      samples.pipeInput(bytes(MODEL), bytes(lines.get(s)));
      assertArrayEquals(
          replay.learn(read.get(s)).outputs(),
          doubles(predictionCodec.decode(predictions.readValue()).getOutputs()),
          0.0);
    }
    assertEquals(2, store().get(MODEL).spec().version());
    assertArrayEquals(LearnerCodec.encode(replay), LearnerCodec.encode(store().get(MODEL)));
  }

  @Test
  void shouldTakeAvroNamedSamplesAsJsonOnes() throws Exception {
    start();
    models.pipeInput(bytes(MODEL), bytes(SPEC));
    SampleDecoder codec = new SampleDecoder();
    List<Sample> list = NamedInputFixtures.samples(30, 12);
    Learner replay = Learner.create(ModelFile.parse(SPEC), StatsSettings.DEFAULT);
    for (Sample sample : list) {
      samples.pipeInput(bytes(MODEL), codec.encodeAvro(sample));
      replay.learn(sample);
    }
    assertArrayEquals(LearnerCodec.encode(replay), LearnerCodec.encode(store().get(MODEL)));
  }

  @Test
  void shouldDeadLetterBadNamedInputWithTheInputsNameAndTouchNoModel() {
    start();
    models.pipeInput(bytes(MODEL), bytes(SPEC));
    String good = "\"ratio\": 0.5, \"country\": \"FR\", \"merchant\": \"m-1\", \"is_new\": true";
    samples.pipeInput(
        bytes(MODEL),
        bytes("{\"id\": \"a\", \"features\": {\"amount\": \"many\", " + good + "}, \"label\": 1}"));
    samples.pipeInput(
        bytes(MODEL),
        bytes(
            "{\"id\": \"b\", \"features\": {\"amount\": 1, \"ratio\": 0.5, \"country\": \"FR\","
                + " \"merchant\": \"m\"}, \"label\": 1}"));
    samples.pipeInput(
        bytes(MODEL),
        bytes(
            "{\"id\": \"c\", \"features\": {\"amount\": 1, "
                + good.replace("true", "\"maybe\"")
                + "}, \"label\": 1}"));
    samples.pipeInput(
        bytes(MODEL),
        bytes("{\"id\": \"d\", \"features\": {\"amount\": 1e999, " + good + "}, \"label\": 1}"));
    List<DeadLetter> letters =
        deadLetters.readValuesToList().stream().map(deadLetterCodec::decode).toList();
    assertEquals(
        List.of("BAD_INPUT", "BAD_INPUT", "BAD_INPUT", "NON_FINITE_FEATURE"),
        letters.stream().map(l -> l.getReason().toString()).toList());
    String[] names = {"'amount'", "'is_new' is missing", "'is_new'", "'amount'"};
    for (int i = 0; i < names.length; i++) {
      String message = letters.get(i).getMessage().toString();
      assertTrue(message.contains(names[i]), message);
    }
    assertEquals(0, store().get(MODEL).stats().samples(), "no model was touched");
    assertTrue(predictions.isEmpty());
  }

  @Test
  void shouldCountTheUnnamedFieldsOfEachModel() {
    start();
    models.pipeInput(bytes(MODEL), bytes(SPEC));
    for (String line : lines(NamedInputFixtures.samples(10, 13))) {
      samples.pipeInput(bytes(MODEL), bytes(line));
    }
    assertEquals(2L, metrics.unnamedFields().get(MODEL));
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
