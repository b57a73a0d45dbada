package io.streamgrad.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.ConfluentFraming;
import io.streamgrad.records.ConfluentWire;
import io.streamgrad.records.OutputDecoder;
import io.streamgrad.records.OutputFormat;
import io.streamgrad.records.RegistryRecord;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.records.SchemaUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The topology with the Confluent wire format in and out: framed samples learnt like single-object
 * ones, framed outputs, and a registry that cannot answer leaves the record to be processed again
 * instead of dead-lettering it. The registry is a table in memory here; SchemaRegistryIT runs a
 * real one.
 */
class ConfluentTopologyTest {
  private final Map<Integer, Schema> table = new HashMap<>(Map.of(21, Sample21.SCHEMA));
  private boolean registryDown;
  private final SampleDecoder avro = new SampleDecoder();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> samples;
  private TestInputTopic<byte[], byte[]> models;
  private TestOutputTopic<byte[], byte[]> predictions;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private ConfluentWire wire;

  /** Our Sample schema, as a producer registered it under id 21. */
  private static final class Sample21 {
    static final Schema SCHEMA = RegistryRecord.SAMPLE.schema();
  }

  @BeforeEach
  void start() {
    wire =
        new ConfluentWire(
            id -> {
              if (registryDown) {
                throw new SchemaUnavailableException(id, "registry down", null);
              }
              return Optional.ofNullable(table.get(id));
            },
            Map.of(
                RegistryRecord.PREDICTION, 101,
                RegistryRecord.LOSS_REPORT, 102,
                RegistryRecord.EVENT, 103,
                RegistryRecord.DEAD_LETTER, 104),
            100);
    StreamSettings settings =
        StreamSettings.defaults().withOutputFormat(OutputFormat.CONFLUENT_AVRO);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "confluent-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    driver =
        new TopologyTestDriver(
            StreamgradTopology.build(settings, new StreamMetrics(), props, wire), props);
    ByteArraySerializer out = new ByteArraySerializer();
    ByteArrayDeserializer in = new ByteArrayDeserializer();
    samples = driver.createInputTopic(settings.samplesTopic(), out, out);
    models = driver.createInputTopic(settings.modelsTopic(), out, out);
    predictions = driver.createOutputTopic(settings.predictionsTopic(), in, in);
    deadLetters = driver.createOutputTopic(settings.deadLettersTopic(), in, in);
    models.pipeInput(key(), LearnerTopologyTest.SPEC.getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldLearnFramedSamplesAsSingleObjectOnesAndFrameThePredictions() {
    Learner offline =
        Learner.create(ModelFile.parse(LearnerTopologyTest.SPEC), StatsSettings.DEFAULT);
    OutputDecoder outputs = new OutputDecoder().readingRegistry(registryOfOurOutputs());
    for (int s = 0; s < 20; s++) {
      Sample sample =
          new Sample("s" + s, new double[] {s * 0.1, -s * 0.2, 0.5}, new double[] {s % 3}, 0);
      LearnResult expected = offline.learn(sample);
      samples.pipeInput(key(), framed(21, sample));
      byte[] value = predictions.readValue();
      assertEquals(101, ConfluentFraming.schemaId(value));
      Prediction prediction = outputs.prediction(value);
      assertEquals("s" + s, prediction.getSampleId());
      assertEquals(expected.step(), prediction.getStep());
      assertEquals(
          Arrays.stream(expected.outputs()).boxed().toList(),
          prediction.getOutputs(),
          "the same prediction, bit for bit, as a learner offline");
    }
    assertTrue(deadLetters.isEmpty());
  }

  @Test
  void shouldDeadLetterAnUnknownIdInTheFramingOfDeadLetters() {
    samples.pipeInput(key(), framed(77, new Sample("x", new double[] {1, 2, 3}, null, 0)));
    byte[] letter = deadLetters.readValue();
    assertEquals(104, ConfluentFraming.schemaId(letter));
    assertEquals(
        ReasonCode.UNKNOWN_SCHEMA_ID.name(),
        new OutputDecoder().readingRegistry(registryOfOurOutputs()).deadLetter(letter).getReason());
  }

  @Test
  void shouldNeitherDeadLetterNorPredictWhileTheRegistryCannotAnswer() {
    table.put(22, Sample21.SCHEMA); // not looked up yet
    registryDown = true;
    StreamsException failed =
        assertThrows(
            StreamsException.class,
            () ->
                samples.pipeInput(
                    key(), framed(22, new Sample("w", new double[] {1, 2, 3}, null, 0))));
    assertTrue(hasCause(failed, SchemaUnavailableException.class), failed.toString());
    assertTrue(deadLetters.isEmpty(), "a good record is never dead-lettered");
    assertTrue(predictions.isEmpty());
  }

  private ConfluentWire registryOfOurOutputs() {
    Map<Integer, Schema> ours = new HashMap<>();
    wire.outputIds().forEach((type, id) -> ours.put(id, type.schema()));
    return new ConfluentWire(id -> Optional.ofNullable(ours.get(id)), Map.of(), 10);
  }

  private byte[] framed(int id, Sample sample) {
    byte[] single = avro.encodeAvro(sample);
    byte[] body = Arrays.copyOfRange(single, 10, single.length);
    byte[] framed = new byte[5 + body.length];
    System.arraycopy(ConfluentFraming.header(id), 0, framed, 0, 5);
    System.arraycopy(body, 0, framed, 5, body.length);
    return framed;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] key() {
    return "m".getBytes(StandardCharsets.UTF_8);
  }
}
