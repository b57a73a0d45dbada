package io.streamgrad.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.avro.Outcome;
import io.streamgrad.learn.Sample;
import io.streamgrad.records.ConfluentFraming;
import io.streamgrad.records.ConfluentWire;
import io.streamgrad.records.OutputDecoder;
import io.streamgrad.records.OutputFormat;
import io.streamgrad.records.RegistryRecord;
import io.streamgrad.records.SampleDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Late labels in a registry shop: Label records in the Confluent wire format on the labels topic
 * and on the samples topic are applied, and outcomes go out in that framing under the id the
 * Outcome schema was registered with.
 */
class ConfluentLabelsTopologyTest {
  private final ConfluentWire wire = OwnSchemas.wire();
  private final SampleDecoder sampleCodec = new SampleDecoder();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> samples;
  private TestInputTopic<byte[], byte[]> labels;
  private TestOutputTopic<byte[], byte[]> outcomes;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void start() {
    StreamSettings settings =
        StreamSettings.defaults()
            .withOutputFormat(OutputFormat.CONFLUENT_AVRO)
            .withLossCadence(1_000_000, 3_600_000);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    driver =
        new TopologyTestDriver(
            StreamgradTopology.build(settings, new StreamMetrics(), props, wire), props);
    ByteArraySerializer out = new ByteArraySerializer();
    ByteArrayDeserializer in = new ByteArrayDeserializer();
    samples = driver.createInputTopic(settings.samplesTopic(), out, out);
    labels = driver.createInputTopic(settings.labels().labelsTopic(), out, out);
    TestInputTopic<byte[], byte[]> models =
        driver.createInputTopic(settings.modelsTopic(), out, out);
    outcomes = driver.createOutputTopic(settings.labels().outcomesTopic(), in, in);
    deadLetters = driver.createOutputTopic(settings.deadLettersTopic(), in, in);
    models.pipeInput(key(), DelayedLabelsTopologyTest.SPEC.getBytes(StandardCharsets.UTF_8), 0);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private static byte[] key() {
    return "m".getBytes(StandardCharsets.UTF_8);
  }

  private byte[] framed(RegistryRecord type, SpecificRecordBase record) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(ConfluentFraming.header(wire.outputIds().get(type)));
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    new SpecificDatumWriter<SpecificRecordBase>(type.schema()).write(record, encoder);
    encoder.flush();
    return bytes.toByteArray();
  }

  private byte[] label(String id, double value) throws IOException {
    return framed(
        RegistryRecord.LABEL,
        io.streamgrad.avro.Label.newBuilder()
            .setId(id)
            .setLabel(List.of(value))
            .setEventTime(0)
            .build());
  }

  private Outcome outcome(byte[] bytes) throws IOException {
    assertEquals(
        wire.outputIds().get(RegistryRecord.OUTCOME),
        ConfluentFraming.schemaId(bytes),
        "framed under the id the Outcome schema was registered with");
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                bytes,
                ConfluentFraming.HEADER_BYTES,
                bytes.length - ConfluentFraming.HEADER_BYTES,
                null);
    return new SpecificDatumReader<Outcome>(Outcome.getClassSchema()).read(null, decoder);
  }

  @Test
  void shouldApplyFramedLabelsFromEitherTopicAndFrameTheOutcomes() throws IOException {
    samples.pipeInput(
        key(), sampleCodec.encodeAvro(new Sample("a", new double[] {0.1, 0.2, 0.3}, null, 0)), 10);
    samples.pipeInput(
        key(), sampleCodec.encodeAvro(new Sample("b", new double[] {-0.4, 0.5, 0.6}, null, 0)), 20);
    labels.pipeInput(key(), label("a", 2), 30);
    samples.pipeInput(key(), label("b", 1), 40);

    List<byte[]> written = outcomes.readValuesToList();
    assertEquals(2, written.size(), "one outcome per label");
    Outcome first = outcome(written.get(0));
    Outcome second = outcome(written.get(1));
    assertEquals(
        second,
        new OutputDecoder().readingRegistry(wire).outcome(written.get(1)),
        "what tail --topic outcomes reads");
    assertEquals("a", first.getSampleId().toString());
    assertArrayEquals(new double[] {2}, unbox(first.getLabel()), 0.0);
    assertEquals("b", second.getSampleId().toString());
    assertArrayEquals(new double[] {1}, unbox(second.getLabel()), 0.0);
    assertEquals(20, second.getDelayMs(), "the label on the samples topic came 20 ms later");
    assertTrue(deadLetters.isEmpty(), "nothing dead-lettered");
  }

  private static double[] unbox(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void shouldKeepSamplesFramedUnderTheSampleSchemaAsSamples() throws IOException {
    byte[] sample =
        framed(
            RegistryRecord.SAMPLE,
            new io.streamgrad.avro.Sample("c", List.of(0.1, 0.2, 0.3), null, 0L, 1.0));
    samples.pipeInput(key(), sample, 10);
    labels.pipeInput(key(), label("c", 0), 20);
    assertEquals(1, outcomes.readValuesToList().size(), "the framed sample waited for its label");
    assertTrue(deadLetters.isEmpty(), Arrays.toString(deadLetters.readValuesToList().toArray()));
  }
}
